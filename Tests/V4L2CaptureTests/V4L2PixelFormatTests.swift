import Testing
import V4L2Capture

@Suite struct V4L2PixelFormatTests {
    /// V4L2_PIX_FMT_YUYV and V4L2_PIX_FMT_MJPEG as <linux/videodev2.h> defines them
    /// (v4l2_fourcc: a | b << 8 | c << 16 | d << 24).
    @Test func fourCharacterCodesMatchTheKernelHeader() {
        #expect(V4L2PixelFormat.yuyv.fourCC == 0x5659_5559)
        #expect(V4L2PixelFormat.mjpeg.fourCC == 0x4750_4A4D)
        #expect(V4L2PixelFormat(fourCC: 0x3342_4752).name == "RGB3")
        #expect(V4L2PixelFormat("MJPEG") == nil)
    }
}
