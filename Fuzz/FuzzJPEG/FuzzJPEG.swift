import FuzzSupport

#if FACESTREAM_FUZZING
    /// libFuzzer's entry point: one input per call.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        JPEGHarness.check(FuzzDriver.bytes(data, size))
        return 0
    }
#endif

/// `FuzzJPEG FILE|DIR...` runs the JPEG harness on files; built by `scripts/fuzz jpeg`, it fuzzes.
@main
enum FuzzJPEG {
    static func main() {
        #if FACESTREAM_FUZZING
            FuzzDriver.runLibFuzzer(fuzzerTestOneInput)
        #else
            FuzzDriver.runFiles(JPEGHarness.check)
        #endif
    }
}
