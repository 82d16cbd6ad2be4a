internal import CFFmpeg
import VideoCore

/// What a stream's display matrix says about showing its pictures.
enum StreamOrientation: Equatable {
    /// No matrix, or one that shows the pictures as stored.
    case upright
    /// A right-angle turn or mirroring, applied by the source.
    case turned(PictureOrientation)
    /// Any other angle (e.g. 45°): not applied; the pictures are used as stored.
    case unsupported

    /// Reads the matrix of `stream` (valid while its format context lives).
    init(of stream: UnsafeMutablePointer<AVStream>) {
        guard let matrix = cffmpeg_display_matrix(stream) else {
            self = .upright
            return
        }
        // The side data holds at least nine int32 values (checked by the shim); copied at once.
        let values = (0..<9).map { matrix[$0] }
        guard let orientation = PictureOrientation(displayMatrix: values) else {
            self = .unsupported
            return
        }
        self = orientation.isUpright ? .upright : .turned(orientation)
    }

    /// The orientation the source applies.
    var applied: PictureOrientation {
        if case .turned(let orientation) = self { orientation } else { .upright }
    }
}
