internal import CFFmpeg
import VideoCore

extension FFmpegVideoWriter {
    /// Encodes decoded 4:2:0 planes shown at `pts` seconds, like `write(_: RGBImage, pts:)` but
    /// without any conversion when the encoder takes yuv420p (x264, VP9): the planes are copied
    /// into the encoder's frame. Open the writer with `colors: VideoColorTags(of: picture)` so the
    /// file says which matrix and range they are in. Other encoder formats go through RGB.
    /// Cost per frame: one copy of the planes (1.5 bytes a pixel) and one encode.
    public func write(_ picture: YUV420Picture, pts: Double?) throws(FFmpegError) {
        try write(picture, pts: pts) { _ in }
    }

    /// Encodes `picture` changed by `paint`: the planes are copied into the encoder's frame and
    /// painted there, so the painted pixels are not copied again (with an encoder that does not
    /// take yuv420p, a copy of the picture is painted and converted). The planes given to `paint`
    /// are the frame's, valid only during the call.
    public func write(
        _ picture: YUV420Picture, pts: Double?, painting paint: (MutableYUV420Planes) -> Void
    ) throws(FFmpegError) {
        guard pixelFormat == AV_PIX_FMT_YUV420P else {
            return try write(picture.painted(paint).rgbImage(), pts: pts)
        }
        guard !finished else {
            throw FFmpegError(kind: .other, operation: "write", resource: path, message: "the writer is finished")
        }
        guard picture.width == width, picture.height == height else {
            throw FFmpegError(
                kind: .invalidSize, operation: "write", resource: path,
                message: "picture of \(picture.width)x\(picture.height), the video is \(width)x\(height)")
        }
        if planeFrame == nil {
            let frame = try Frame(resource: path)
            frame.pointer.pointee.width = Int32(width)
            frame.pointer.pointee.height = Int32(height)
            frame.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            try avCall("av_frame_get_buffer", resource: path) { av_frame_get_buffer(frame.pointer, 64) }
            planeFrame = frame
        }
        let frame = planeFrame!
        // The encoder may still hold a reference to the previous picture: get our own buffer then.
        try avCall("av_frame_make_writable", resource: path) { av_frame_make_writable(frame.pointer) }
        // The frame's planes stay valid until the next av_frame_make_writable or the frame's end;
        // rows are copied one by one because the frame's rows are padded (linesize >= width).
        let raw = frame.pointer.pointee
        Self.copy(picture.luma, width: width, height: height, to: raw.data.0!, stride: Int(raw.linesize.0))
        Self.copy(
            picture.blueDifference, width: width / 2, height: height / 2, to: raw.data.1!, stride: Int(raw.linesize.1))
        Self.copy(
            picture.redDifference, width: width / 2, height: height / 2, to: raw.data.2!, stride: Int(raw.linesize.2))
        func plane(_ base: UnsafeMutablePointer<UInt8>, _ w: Int, _ h: Int, _ stride: Int32) -> MutablePlane {
            MutablePlane(base: base, width: w, height: h, stride: Int(stride))
        }
        paint(
            MutableYUV420Planes(
                width: width, height: height, luma: plane(raw.data.0!, width, height, raw.linesize.0),
                blueDifference: plane(raw.data.1!, width / 2, height / 2, raw.linesize.1),
                redDifference: plane(raw.data.2!, width / 2, height / 2, raw.linesize.2)))
        try encode(frame, pts: pts)
    }

    private static func copy(
        _ plane: [UInt8], width: Int, height: Int, to base: UnsafeMutablePointer<UInt8>, stride: Int
    ) {
        plane.withUnsafeBufferPointer { plane in
            for row in 0..<height {
                (base + row * stride).update(from: plane.baseAddress! + row * width, count: width)
            }
        }
    }
}
