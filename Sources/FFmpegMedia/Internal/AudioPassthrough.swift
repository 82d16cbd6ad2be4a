internal import CFFmpeg

/// Copies the audio and subtitle streams of a source file into a muxer unchanged (no decoding): one
/// output stream per stream the container can hold (mov_text in MP4, SubRip/ASS in Matroska),
/// packets rescaled to the output time base and interleaved with the video by the muxer. Chapters
/// and the file's tags (title, creation time, ...) are copied when it is made
/// (`ContainerExtras`).
///
/// Owns its own demuxer on the source file (the video source reads the same file separately) and
/// one packet; both are freed in `deinit`. Used by `FFmpegVideoWriter` on its thread only.
final class AudioPassthrough {
    /// One copied stream: where packets come from and go to.
    private struct Route {
        var input: Int32
        var output: Int32
        var inputTimeBase: AVRational
    }

    private let demuxer: FormatContext
    private let packet: Packet
    private var routes: [Int32: Route] = [:]
    /// Whether `packet` holds a packet read but not yet written (it lies after the video time).
    private var holding = false
    private var ended = false
    /// Streams left out because the container cannot hold their codec, e.g. "#1 aac".
    let skipped: [String]
    /// Audio streams copied.
    let audioCount: Int
    /// Subtitle streams copied.
    let subtitleCount: Int
    /// A read failure that ended the copy early (the rest of the audio is missing).
    private(set) var readFailure: FFmpegError?

    /// When the source's pictures end (seconds, source time line); nil when the file does not say.
    let sourceVideoEnd: Double?

    var streamCount: Int { routes.count }

    /// Opens `source` and adds an output stream to `muxer` for each audio and subtitle stream it can
    /// store; copies the chapters and tags. Call before the muxer writes its header.
    init(source: String, muxer: MuxerContext) throws(FFmpegError) {
        demuxer = try FormatContext(path: source)
        packet = try Packet(resource: source)
        var skipped: [String] = []
        var counts = (audio: 0, subtitles: 0)
        sourceVideoEnd = Self.videoEnd(of: demuxer)
        let format = demuxer.pointer.pointee
        for index in 0..<Int32(format.nb_streams) {
            let stream = format.streams[Int(index)]!
            let parameters = stream.pointee.codecpar!
            let type = parameters.pointee.codec_type
            guard type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE else {
                stream.pointee.discard = AVDISCARD_ALL  // the demuxer may skip reading them
                continue
            }
            let codec = parameters.pointee.codec_id
            // 1: can store; 0: cannot; negative: the muxer does not say (let the header decide).
            guard codec != AV_CODEC_ID_NONE, avformat_query_codec(muxer.pointer.pointee.oformat, codec, 0) != 0 else {
                skipped.append("#\(index) \(String(cString: avcodec_get_name(codec)))")
                stream.pointee.discard = AVDISCARD_ALL
                continue
            }
            let output = try muxer.addStream()
            let outputStream = muxer.stream(output)
            try avCall("avcodec_parameters_copy", resource: source) {
                avcodec_parameters_copy(outputStream.pointee.codecpar, parameters)
            }
            outputStream.pointee.codecpar.pointee.codec_tag = 0  // let the muxer pick its own tag
            outputStream.pointee.time_base = stream.pointee.time_base
            outputStream.pointee.disposition = stream.pointee.disposition
            av_dict_copy(&outputStream.pointee.metadata, stream.pointee.metadata, 0)
            routes[index] = Route(input: index, output: output, inputTimeBase: stream.pointee.time_base)
            if type == AVMEDIA_TYPE_AUDIO { counts.audio += 1 } else { counts.subtitles += 1 }
        }
        self.skipped = skipped
        (audioCount, subtitleCount) = counts
        ContainerExtras.copy(from: demuxer, to: muxer)
    }

    /// Writes the audio packets that start at or before `seconds` (source time), in file order.
    func copy(upTo seconds: Double, into muxer: MuxerContext) throws(FFmpegError) {
        try copy(into: muxer) { $0 <= seconds }
    }

    /// Writes every audio packet left.
    func copyRemaining(into muxer: MuxerContext) throws(FFmpegError) {
        try copy(into: muxer) { _ in true }
    }

    private func copy(into muxer: MuxerContext, while accepts: (Double) -> Bool) throws(FFmpegError) {
        guard !routes.isEmpty else { return }
        while holding || readNext() {
            let route = routes[packet.streamIndex]!
            if let time = startTime(of: route), !accepts(time) {
                holding = true
                return
            }
            holding = false
            let outputStream = muxer.stream(route.output)
            av_packet_rescale_ts(packet.pointer, route.inputTimeBase, outputStream.pointee.time_base)
            packet.pointer.pointee.stream_index = route.output
            packet.pointer.pointee.pos = -1
            try muxer.write(packet)  // takes the payload
        }
    }

    /// Reads the next packet of a copied stream into `packet`; false at the end or after a read error.
    private func readNext() -> Bool {
        while !ended {
            do {
                guard try demuxer.read(into: packet) else {
                    ended = true
                    return false
                }
            } catch {
                readFailure = error
                ended = true
                return false
            }
            if routes[packet.streamIndex] != nil { return true }
            packet.unreference()
        }
        return false
    }

    /// End of the best video stream (start + duration), else of the whole file.
    private static func videoEnd(of demuxer: FormatContext) -> Double? {
        let none = cffmpeg_nopts_value()
        let best = av_find_best_stream(demuxer.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        if best >= 0, let stream = demuxer.pointer.pointee.streams[Int(best)]?.pointee,
            stream.duration != none, stream.duration > 0
        {
            let start = stream.start_time != none ? stream.start_time : 0
            return Double(start + stream.duration) * av_q2d(stream.time_base)
        }
        let format = demuxer.pointer.pointee
        guard format.duration != none, format.duration > 0 else { return nil }
        let start = format.start_time != none ? format.start_time : 0
        return Double(start + format.duration) / 1_000_000  // AV_TIME_BASE units
    }

    /// The packet's presentation (else decoding) time in seconds; nil when it carries neither.
    private func startTime(of route: Route) -> Double? {
        let raw = packet.pointer.pointee
        let stamp = raw.pts != cffmpeg_nopts_value() ? raw.pts : raw.dts
        guard stamp != cffmpeg_nopts_value() else { return nil }
        return Double(stamp) * av_q2d(route.inputTimeBase)
    }
}
