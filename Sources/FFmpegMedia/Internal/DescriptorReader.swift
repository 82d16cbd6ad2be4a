internal import CFFmpeg
import Foundation

/// Feeds FFmpeg from a file descriptor (standard input or another pipe) through a custom
/// `AVIOContext` whose read callback waits with `poll` in 100 ms slices, so the source's stop
/// signal and deadline end a blocked read promptly (FFmpeg's own `pipe:` protocol blocks in `read`).
///
/// Lifetime: owns the `AVIOContext` and its buffer and frees both in `deinit`. The context's opaque
/// pointer is this object, unretained: the `FormatContext` that reads through it holds this reader
/// strongly and closes its input before releasing it. The descriptor is never closed here.
final class DescriptorReader {
    let context: UnsafeMutablePointer<AVIOContext>
    private let descriptor: Int32
    private let interrupt: InterruptGuard
    private static let bufferSize: Int32 = 64 * 1024

    init(descriptor: Int32, interrupt: InterruptGuard, resource: String) throws(FFmpegError) {
        guard let buffer = av_malloc(Int(Self.bufferSize)) else {
            throw FFmpegError(kind: .outOfMemory, operation: "av_malloc", resource: resource, message: "out of memory")
        }
        guard
            let context = avio_alloc_context(
                buffer.assumingMemoryBound(to: UInt8.self), Self.bufferSize, 0, nil,
                { opaque, target, capacity in
                    guard let opaque, let target else { return AVErrorCode.invalidArgument }
                    return Unmanaged<DescriptorReader>.fromOpaque(opaque).takeUnretainedValue().read(
                        into: target, capacity: capacity)
                }, nil, nil)
        else {
            av_free(buffer)
            throw FFmpegError(
                kind: .outOfMemory, operation: "avio_alloc_context", resource: resource, message: "out of memory")
        }
        self.context = context
        self.descriptor = descriptor
        self.interrupt = interrupt
        context.pointee.opaque = Unmanaged.passUnretained(self).toOpaque()
        context.pointee.seekable = 0
    }

    deinit {
        // FFmpeg may have replaced the buffer it was given: free the one the context holds now.
        av_freep(&context.pointee.buffer)
        var context: UnsafeMutablePointer<AVIOContext>? = self.context
        avio_context_free(&context)
    }

    /// The read callback: bytes read, `AVERROR_EOF` at the end, `AVERROR_EXIT` when interrupted.
    private func read(into target: UnsafeMutablePointer<UInt8>, capacity: Int32) -> Int32 {
        while true {
            if interrupt.shouldInterrupt() { return AVErrorCode.exit }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return cffmpeg_averror(errno)
            }
            if ready == 0 { continue }
            let count = Foundation.read(descriptor, target, Int(capacity))
            if count > 0 { return Int32(count) }
            if count == 0 { return AVErrorCode.endOfFile }
            if errno == EINTR || errno == EAGAIN { continue }
            return cffmpeg_averror(errno)
        }
    }
}
