import CoreSupport
import Foundation
import VideoCore

#if canImport(Glibc)
    import Glibc
#endif

extension AnnotatedVideoSink {
    /// Checks that segments can be created in the recording's folder (a probe file, removed at
    /// once), so a missing folder or a read-only mount is reported before the first frame.
    /// Segmented recordings carry no audio (a source's audio is copied only into one file).
    func openSegments() throws(OutputFailure) {
        let naming = SegmentNaming(recordingPath: request.path)
        switch OutputFolder.probe(naming.folder, probeName: ".\(naming.stem)-probe-\(getpid())") {
        case .success: break
        case .failure(let error):
            throw OutputFailure(
                "--annotate: cannot write segments in folder \(naming.folder): \(error); choose a writable folder")
        }
        if let audioSource {
            logger?.info(
                "\(request.path): segmented recordings carry no audio; the audio of \(audioSource) is left out")
        }
    }

    /// Hands a painted picture to the segment writer (made at the first frame, when the rate is
    /// known). Failures are the writer's to log; the stream's other outputs go on.
    func writeSegment(_ picture: SegmentPicture, pts: Double?) {
        if segmented == nil, let segments = request.segments {
            segmented = SegmentedVideoWriter(
                naming: SegmentNaming(recordingPath: request.path), settings: segments, frameRate: frameRate() ?? 25,
                encoder: request.encoder, logger: logger)
        }
        segmented?.write(picture, pts: pts)
    }
}
