internal import CFFmpeg
import Logging

extension FFmpegVideoWriter {
    /// How far (seconds) the last picture may end before the source's video end and still count as
    /// the end of the source (frame durations and container rounding differ).
    static let endTolerance = 0.5

    /// Adds the audio and subtitle streams, chapters and tags of `source` to `muxer`; nil (after a warning) when it cannot be read,
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
                "\(output): stream(s) \(audio.skipped.joined(separator: ", ")) left out: the \(muxer.formatName) container cannot hold them (.mkv holds most audio and text subtitles)"
            )
        }
        return (audio.streamCount > 0 ? audio : nil, audio.skipped)
    }

    /// Copies the source audio up to the picture just written (its stored time).
    func copyAudio(upTo pts: Int64) throws(FFmpegError) {
        try audio?.copy(upTo: Double(pts) * av_q2d(timeBase), into: muxer)
    }

    /// Copies the audio left after the last picture: all of it when the pictures reached the end of
    /// the source's video, else (a run stopped early) only up to the end of the last picture, so the
    /// file does not go on with sound alone. Warns when the source could not be read to its end.
    func copyRemainingAudio() throws(FFmpegError) {
        guard let audio, let lastPTS else { return }
        let picturesEnd = Double(lastPTS + frameDuration) * av_q2d(timeBase)
        if let sourceEnd = audio.sourceVideoEnd, picturesEnd + Self.endTolerance < sourceEnd {
            try audio.copy(upTo: picturesEnd, into: muxer)
        } else {
            try audio.copyRemaining(into: muxer)
        }
        if let failure = audio.readFailure {
            logger?.warning("\(path): audio copy stopped early: \(failure.description)")
        }
    }
}
