internal import CFFmpeg
import VideoCore

/// One opened input: demuxer, decoder of its best video stream, RGB converter. A live source makes
/// a new session for every reconnect. Belongs to the thread that calls `nextFrame`.
///
/// Lifetime: owns its `FormatContext`, `CodecContext`, `Packet`, `Frame` and `RGBConverter`, each of
/// which frees its C object in `deinit`; stream pointers read from the format context are used only
/// while `input` lives (that is, while this session does).
final class DecodingSession {
    /// A decoded frame: its 4:2:0 planes (converted later, exactly) or its RGB conversion.
    struct Decoded {
        var pixels: FramePixels
        var pts: Double?
        /// Frames passed over (not handed on) since the previous decoded frame, in presentation
        /// order: they keep their places in the frame numbering.
        var passedOverBefore = 0
    }

    private let input: FormatContext
    private let decoder: CodecContext
    private let streamIndex: Int32
    private let timeBase: AVRational
    private let packet: Packet
    private let frame: Frame
    private var converter: RGBConverter?
    private var extractor: YUV420Extractor?
    /// When set, 4:2:0 frames are handed out as this sampler's samples only (the convert stage).
    private let sampler: (any PictureSampler)?
    private let resource: String
    /// Read errors in a row tolerated on files before the rest is treated as unreadable.
    private static let readErrorLimit = 32
    private var readErrorsInARow = 0
    private var flushed = false
    /// Whether read errors end the session (live URLs: the caller reconnects) or count as corruption.
    private let readErrorsAreFatal: Bool
    /// Called once for every corrupt packet or frame found.
    private let onCorrupt: () -> Void
    /// Called once for every frame passed over; true when it was decoded (and dropped unconverted),
    /// false when the decoder skipped it.
    private let onPassOver: (_ decoded: Bool) -> Void
    /// The skipping of non-reference frames; nil when every frame is needed.
    private var nonReference: NonReferenceSkipping?
    /// Frames passed over since the last frame returned.
    private var passedOver = 0

    /// Frames the stream declares (`nb_frames`), else an estimate from duration and frame rate.
    let expectedFrames: Int?
    /// The stream's average frame rate (else its base rate), frames per second; nil when unknown.
    let frameRate: Double?
    /// What the stream's display matrix says; pictures leave this session turned by `orientation.applied`.
    let orientation: StreamOrientation

    init(
        opening input: FormatContext, threads: Int, live: Bool, sampler: (any PictureSampler)? = nil,
        analysisRate: RateSlots? = nil, onCorrupt: @escaping () -> Void,
        onPassOver: @escaping (_ decoded: Bool) -> Void = { _ in }
    ) throws(FFmpegError) {
        self.input = input
        self.sampler = sampler
        resource = input.resource
        let (index, codec) = try input.bestVideoStream()
        streamIndex = index
        let stream = input.stream(index)
        timeBase = stream.pointee.time_base
        orientation = StreamOrientation(of: stream)
        decoder = try CodecContext(
            decoder: codec, parameters: stream.pointee.codecpar, resource: resource, threads: threads,
            sliceThreadsOnly: live, packetTimeBase: stream.pointee.time_base)
        packet = try Packet(resource: resource)
        frame = try Frame(resource: resource)
        readErrorsAreFatal = live
        self.onCorrupt = onCorrupt
        self.onPassOver = onPassOver
        nonReference = analysisRate.map { NonReferenceSkipping(slots: $0, timeBase: stream.pointee.time_base) }
        expectedFrames = Self.frameCount(of: stream, in: input.pointer)
        let average = stream.pointee.avg_frame_rate
        let base = stream.pointee.r_frame_rate
        frameRate = [average, base].first { $0.num > 0 && $0.den > 0 }.map { av_q2d($0) }
    }

    /// Decodes the next frame that `selector` takes (every frame when nil); nil at the end of the
    /// input. The frames it does not take are passed over unconverted (`onPassOver`). Corrupt
    /// packets and frames are counted through `onCorrupt`, never thrown. Throws for I/O failures
    /// of live inputs, interruptions and out-of-memory.
    func nextFrame(selecting selector: inout RateSelector?) throws(FFmpegError) -> Decoded? {
        var receiveErrorsAfterFlush = 0
        while true {
            let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
            if received >= 0 {
                let timestamp = frame.pointer.pointee.best_effort_timestamp
                let known = timestamp == cffmpeg_nopts_value() ? nil : timestamp
                passOver(skipped: nonReference?.skippedFrames(before: known) ?? 0)
                if selector?.takes(time: known.map { Double($0) * av_q2d(timeBase) }) == false {
                    av_frame_unref(frame.pointer)
                    passedOver += 1
                    onPassOver(true)
                    continue
                }
                var decoded = try convertFrame()
                decoded.passedOverBefore = passedOver
                passedOver = 0
                return decoded
            }
            if received == AVErrorCode.endOfFile {
                passOver(skipped: nonReference?.skippedAtEnd() ?? 0)
                return nil
            }
            if received != AVErrorCode.tryAgain {
                if received == AVErrorCode.noMemory {
                    try avCall("avcodec_receive_frame", resource: resource) { received }
                }
                onCorrupt()
            }
            if flushed {
                // Draining: EAGAIN cannot happen; errors may precede further buffered frames.
                receiveErrorsAfterFlush += 1
                if receiveErrorsAfterFlush > Self.readErrorLimit { return nil }
                continue
            }
            try feedPacket()
        }
    }

    /// Reads one packet and sends it to the decoder when it belongs to the video stream; at the end
    /// of the input, sends the flush request.
    private func feedPacket() throws(FFmpegError) {
        let read = av_read_frame(input.pointer, packet.pointer)
        if read < 0 {
            if read == AVErrorCode.endOfFile || (!readErrorsAreFatal && readErrorsInARow >= Self.readErrorLimit) {
                _ = avcodec_send_packet(decoder.pointer, nil)  // enter draining; only fails when already draining
                flushed = true
                return
            }
            if read == AVErrorCode.exit || read == AVErrorCode.noMemory || readErrorsAreFatal {
                try avCall("av_read_frame", resource: resource) { read }
            }
            readErrorsInARow += 1
            onCorrupt()
            return
        }
        readErrorsInARow = 0
        defer { packet.unreference() }
        guard packet.streamIndex == streamIndex else { return }
        if nonReference != nil {
            let pts = packet.pointer.pointee.pts
            let skippable = nonReference!.maySkip(pts: pts == cffmpeg_nopts_value() ? nil : pts)
            // Read when the packet is decoded (in this call, or handed to a frame thread with it).
            decoder.pointer.pointee.skip_frame = skippable ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
        }
        let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
        if sent == AVErrorCode.noMemory { try avCall("avcodec_send_packet", resource: resource) { sent } }
        // EAGAIN cannot happen: the decoder's output was drained just before.
        if sent < 0 || packet.pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 { onCorrupt() }
    }

    /// Counts `skipped` frames the decoder did not decode as passed over.
    private func passOver(skipped: Int) {
        guard skipped > 0 else { return }
        passedOver += skipped
        for _ in 0..<skipped { onPassOver(false) }
    }

    /// Converts the frame just received, then releases its buffers.
    private func convertFrame() throws(FFmpegError) -> Decoded {
        defer { av_frame_unref(frame.pointer) }
        let raw = frame.pointer.pointee
        if raw.flags & AV_FRAME_FLAG_CORRUPT != 0 || raw.decode_error_flags != 0 { onCorrupt() }
        let (width, height) = (frame.width, frame.height)
        guard width > 0, height > 0, raw.format >= 0,
            width.multipliedReportingOverflow(by: height).partialValue <= FFmpegImageDecoder.maximumPixelCount
        else {
            throw FFmpegError(
                kind: .invalidSize, operation: "avcodec_receive_frame", resource: resource,
                message: "frame of \(width)x\(height) pixels")
        }
        if converter.map({ !$0.matches(frame) }) ?? true {
            converter = try RGBConverter(
                width: width, height: height, from: frame.pixelFormat, resource: resource,
                flags: RGBConverter.videoFlags,
                colorspace: raw.colorspace, range: raw.color_range)
            extractor = YUV420Extractor(converter: converter!, sampler: sampler, orientation: orientation.applied)
        }
        let pixels: FramePixels
        let turn = orientation.applied
        // A turned picture is converted as stored (the stream's exact conversion), then turned:
        // samples turn only the grid's pixels; whole pictures become turned RGB copies.
        if extractor!.samples, let picture = try extractor!.sampledPicture(from: frame, converter: converter!) {
            pixels = .sampled(picture)
        } else if let picture = try extractor!.picture(from: frame, converter: converter!) {
            pixels = turn.isUpright ? .yuv420(picture) : .rgb(picture.rgbImage().oriented(turn))
        } else {
            pixels = .rgb(try converter!.convert(frame).oriented(turn))
        }
        let timestamp = raw.best_effort_timestamp
        let pts = timestamp == cffmpeg_nopts_value() ? nil : Double(timestamp) * av_q2d(timeBase)
        return Decoded(pixels: pixels, pts: pts)
    }

    /// `nb_frames` when the container states it, else duration x average frame rate, else nil.
    private static func frameCount(
        of stream: UnsafeMutablePointer<AVStream>, in format: UnsafeMutablePointer<AVFormatContext>
    ) -> Int? {
        let declared = stream.pointee.nb_frames
        if declared > 0 { return Int(declared) }
        let rate = stream.pointee.avg_frame_rate
        guard rate.num > 0, rate.den > 0 else { return nil }
        var seconds: Double?
        if stream.pointee.duration != cffmpeg_nopts_value(), stream.pointee.duration > 0 {
            seconds = Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base)
        } else if format.pointee.duration != cffmpeg_nopts_value(), format.pointee.duration > 0 {
            seconds = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return Int((seconds * av_q2d(rate)).rounded())
    }
}
