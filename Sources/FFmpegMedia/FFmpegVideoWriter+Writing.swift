internal import CFFmpeg
import VideoCore

extension FFmpegVideoWriter {
    /// Encodes one picture shown at `pts` seconds (nil: one nominal frame after the previous one).
    /// Timestamps that do not increase are moved just after the previous frame. Cost per frame: one
    /// RGB->YUV conversion and one encode, then the source audio packets up to `pts` are copied;
    /// the file writes may block.
    public func write(_ image: RGBImage, pts: Double?) throws(FFmpegError) {
        guard !finished else {
            throw FFmpegError(kind: .other, operation: "write", resource: path, message: "the writer is finished")
        }
        guard image.width == width, image.height == height else {
            throw FFmpegError(
                kind: .invalidSize, operation: "write", resource: path,
                message: "picture of \(image.width)x\(image.height), the video is \(width)x\(height)")
        }
        if rgbConverter == nil {
            rgbConverter = try EncoderPictureConverter(width: width, height: height, to: pixelFormat, resource: path)
        }
        try encode(try rgbConverter!.convert(image), pts: pts)
    }

    /// Sends `frame` (a picture in the encoder's format) at `pts` seconds, then writes the packets
    /// that are ready and the source audio up to it.
    func encode(_ frame: Frame, pts: Double?) throws(FFmpegError) {
        let stored = nextTimestamp(for: pts)
        frame.pointer.pointee.pts = stored
        try encoder.send(frame: frame)
        try drainPackets()
        framesWritten += 1
        try copyAudio(upTo: stored)
    }

    /// Flushes the encoder, copies the rest of the source audio (up to the last picture's end when
    /// the pictures stopped before the source's end) and writes the container trailer. Call once at the end; later calls do
    /// nothing. The file is complete and playable once this returns.
    public func finish() throws(FFmpegError) {
        guard !finished else { return }
        finished = true
        try encoder.send(frame: nil)
        try drainPackets()
        try copyRemainingAudio()
        try muxer.writeTrailer()
    }

    /// The stored timestamp for a picture at `seconds`, in the time base, strictly increasing.
    private func nextTimestamp(for seconds: Double?) -> Int64 {
        var value: Int64
        if let seconds, seconds.isFinite, abs(seconds) < 1e9 {
            value = Int64((seconds * Double(timeBase.den) / Double(timeBase.num)).rounded())
        } else {
            value = lastPTS.map { $0 + max(frameDuration, minimumStep) } ?? 0
        }
        if let previous = lastPTS, value < previous + minimumStep { value = previous + minimumStep }
        lastPTS = value
        return value
    }

    /// Moves every packet the encoder has ready into the muxer.
    private func drainPackets() throws(FFmpegError) {
        let stream = muxer.stream(streamIndex)
        while try encoder.receive(into: packet) {
            if packet.pointer.pointee.duration == 0 { packet.pointer.pointee.duration = frameDuration }
            av_packet_rescale_ts(packet.pointer, timeBase, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            try muxer.write(packet)
        }
    }
}
