import FFmpegMedia
import VideoCore

/// One painted picture for a segmented recording: decoded 4:2:0 planes go to the encoder as they
/// are (tagged with their matrix and range), RGB pictures through the writer's conversion.
public enum SegmentPicture {
    case rgb(RGBImage)
    case planes(YUV420Picture)
    /// Planes painted by `paint` in the encoder's frame after they are copied there (no copy of
    /// the picture for painting; `FFmpegVideoWriter.write(_:pts:painting:)`).
    case paintedPlanes(YUV420Picture, paint: (MutableYUV420Planes) -> Void)

    var width: Int {
        switch self {
        case .rgb(let image): image.width
        case .planes(let picture), .paintedPlanes(let picture, _): picture.width
        }
    }

    var height: Int {
        switch self {
        case .rgb(let image): image.height
        case .planes(let picture), .paintedPlanes(let picture, _): picture.height
        }
    }

    /// The colour tags a segment starting with this picture is written with.
    var colors: VideoColorTags {
        switch self {
        case .rgb: VideoColorTags()
        case .planes(let picture), .paintedPlanes(let picture, _): VideoColorTags(of: picture)
        }
    }

    /// Encodes the picture with `writer` at `pts` seconds of the segment's time.
    func write(to writer: FFmpegVideoWriter, pts: Double) throws(FFmpegError) {
        switch self {
        case .rgb(let image): try writer.write(image, pts: pts)
        case .planes(let picture): try writer.write(picture, pts: pts)
        case .paintedPlanes(let picture, let paint): try writer.write(picture, pts: pts, painting: paint)
        }
    }
}
