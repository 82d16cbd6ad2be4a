internal import CFFmpeg
import Logging

extension FFmpegVideoWriter {
    /// Adds the audio streams of `source` to `muxer`; nil (after a warning) when it cannot be read,
    /// so a bad audio source never costs the video.
    static func openAudio(_ source: String, muxer: MuxerContext, output: String, logger: Logger?) -> (
        AudioPassthrough?, skipped: [String]
    ) {
        let audio: AudioPassthrough
        do {
            audio = try AudioPassthrough(source: source, muxer: muxer)
        } catch {
            logger?.warning("\(output): written without audio: \(error.description)")
            return (nil, [])
        }
        if !audio.skipped.isEmpty {
            logger?.warning(
                "\(output): audio stream(s) \(audio.skipped.joined(separator: ", ")) left out: the \(muxer.formatName) container cannot hold them (use .mkv to keep them)"
            )
        }
        return (audio.streamCount > 0 ? audio : nil, audio.skipped)
    }

    /// Copies the source audio up to the picture just written (its stored time).
    func copyAudio(upTo pts: Int64) throws(FFmpegError) {
        try audio?.copy(upTo: Double(pts) * av_q2d(timeBase), into: muxer)
    }

    /// Copies the audio left after the last picture; warns when the source could not be read to its end.
    func copyRemainingAudio() throws(FFmpegError) {
        guard let audio else { return }
        try audio.copyRemaining(into: muxer)
        if let failure = audio.readFailure {
            logger?.warning("\(path): audio copy stopped early: \(failure.description)")
        }
    }
}
