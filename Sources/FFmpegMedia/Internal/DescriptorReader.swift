internal import CFFmpeg
import CoreSupport
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
            switch retryingInterrupts({ poll(&request, 1, 100) }) {
            case .failure(let error): return cffmpeg_averror(error.code)
            case .success(0): continue
            case .success: break
            }
            switch retryingInterrupts({ Foundation.read(descriptor, target, Int(capacity)) }) {
            case .success(0): return AVErrorCode.endOfFile
            case .success(let count): return Int32(count)
            case .failure(let error) where error.code == EAGAIN: continue
            case .failure(let error): return cffmpeg_averror(error.code)
            }
        }
    }
}
