import FFmpegMedia
import VideoCore

extension AnnotatedVideoSink {
    /// Paints one frame of decoded 4:2:0 video on its planes (`YUV420Canvas`: no conversion to RGB
    /// and back) and encodes them as they are, tagged with the source's matrix and range. The
    /// planes are painted in the encoder's own frame after they are copied there (one file or the
    /// current segment), so the decoded picture (which the lookahead or other outputs may still
    /// hold) is never copied for painting.
    /// The same steps as the RGB path: fail-closed black, privacy zones, then the boxes or hidden
    /// masks.
    func paintAndEncodePlanes(_ picture: YUV420Picture, _ frame: FrameDetections) throws(OutputFailure) {
        let conceals = concealsFrame(frame)
        let zones = zones(width: picture.width, height: picture.height)
        func paint(_ canvas: inout YUV420Canvas) {
            if conceals {
                canvas.fillBlack()
                return
            }
            if let zones { canvas.paint(zones) }
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
        if request.segments != nil {
            let painting: (MutableYUV420Planes) -> Void = { planes in
                var canvas = YUV420Canvas(planes, of: picture)
                paint(&canvas)
            }
            return writeSegment(.paintedPlanes(picture, paint: painting), pts: frame.frame.pts)
        }
        try encode(width: picture.width, height: picture.height, colors: VideoColorTags(of: picture)) {
            writer throws(FFmpegError) in
            try writer.write(picture, pts: frame.frame.pts) { planes in
                var canvas = YUV420Canvas(planes, of: picture)
                paint(&canvas)
            }
        }
    }
}
