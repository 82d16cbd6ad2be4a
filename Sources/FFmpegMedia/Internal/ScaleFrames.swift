internal import CFFmpeg

/// Runs `sws_scale` from every plane of `source` into every plane of `target`, all `rows` rows.
///
/// Lifetime: the plane and stride arrays of both frames are borrowed only for the call; the
/// frames must stay alive (their owners hold them) and `context` must match their sizes and
/// formats. Returns the rows written, or a negative AVERROR, as `sws_scale` does.
func scaleFrames(
    _ context: OpaquePointer, from source: UnsafeMutablePointer<AVFrame>, to target: UnsafeMutablePointer<AVFrame>,
    rows: Int
) -> Int32 {
    withUnsafePointer(to: &source.pointee.data) { sourceData in
        withUnsafePointer(to: &source.pointee.linesize) { sourceStrides in
            withUnsafePointer(to: &target.pointee.data) { targetData in
                withUnsafePointer(to: &target.pointee.linesize) { targetStrides in
                    sws_scale(
                        context,
                        UnsafeRawPointer(sourceData).assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                        UnsafeRawPointer(sourceStrides).assumingMemoryBound(to: Int32.self), 0, Int32(rows),
                        UnsafeRawPointer(targetData).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                        UnsafeRawPointer(targetStrides).assumingMemoryBound(to: Int32.self))
                }
            }
        }
    }
}
