#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the C allocator from holding freed memory resident during long runs (glibc only; a no-op
/// with other C libraries). glibc's `malloc.h` is not part of Swift's Glibc module, so `malloc_trim`
/// is looked up by name.
enum MallocTuning {
    /// `int malloc_trim(size_t pad)`.
    private typealias TrimFunction = @convention(c) (Int) -> Int32

    /// Gives the free pages of every malloc arena back to the kernel (`malloc_trim(0)`). Opening a
    /// video decodes its first frames on the calling thread to probe the stream, and the model
    /// import frees its protobuf copies: about 4 MB of free heap that would otherwise stay
    /// resident behind live blocks for the whole run. Costs about a millisecond.
    static func releaseFreePages() {
        guard let trim = lookUp("malloc_trim", as: TrimFunction.self) else { return }
        _ = trim(0)
    }

    private static func lookUp<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Glibc)
            // A null handle is glibc's RTLD_DEFAULT: search the process's global symbols.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(symbol, to: type)
        #else
            return nil
        #endif
    }
}
