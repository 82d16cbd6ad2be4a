import Logging

extension FFmpegVideoSource {
    /// Says once per input how its display matrix is honoured: a right-angle turn or mirroring is
    /// applied to every picture (so sizes and boxes are as displayed); any other angle is not.
    func announce(_ orientation: StreamOrientation) {
        switch orientation {
        case .upright:
            break
        case .turned(let turn):
            logger.info("\(name): the video is shown \(turn) (display matrix); its pictures are turned to match")
        case .unsupported:
            logger.warning(
                """
                \(name): the display matrix turns the video by an angle that is not a multiple of 90°; \
                pictures are used as stored (boxes are in the stored orientation)
                """)
        }
    }
}
