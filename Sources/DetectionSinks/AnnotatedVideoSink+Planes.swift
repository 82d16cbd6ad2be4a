import FFmpegMedia
import VideoCore

extension AnnotatedVideoSink {
    /// Paints one frame of decoded 4:2:0 video on its planes (`YUV420Canvas`: no conversion to RGB
    /// and back) and encodes them as they are, tagged with the source's matrix and range. The same
    /// steps as the RGB path: fail-closed black, privacy zones, then the boxes or hidden masks.
    func paintAndEncodePlanes(_ picture: YUV420Picture, _ frame: FrameDetections) throws(OutputFailure) {
        var canvas = YUV420Canvas(picture)
        if concealsFrame(frame) {
            canvas.fillBlack()
        } else {
            if let zones = zones(width: canvas.width, height: canvas.height) { canvas.paint(zones) }
            if request.style == .box {
                painter.paintBoxes(&canvas, faces: frame.shownFaces)
            } else {
                for face in frame.shownFaces {
                    painter.hide(
                        &canvas,
                        FaceMask(box: face.box, scale: request.hiding.maskScale, shape: request.hiding.maskShape),
                        style: request.style)
                }
            }
        }
        let painted = canvas.picture
        if request.segments != nil { return writeSegment(.planes(painted), pts: frame.frame.pts) }
        try encode(width: painted.width, height: painted.height, colors: VideoColorTags(of: painted)) {
            writer throws(FFmpegError) in
            try writer.write(painted, pts: frame.frame.pts)
        }
    }
}
