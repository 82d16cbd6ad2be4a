import FuzzSupport

#if FACESTREAM_FUZZING
    /// libFuzzer's entry point: one input per call.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        ConfigurationHarness.check(FuzzDriver.bytes(data, size))
        return 0
    }
#endif

/// `FuzzConfiguration FILE|DIR...` runs the configuration harness on files; built by `scripts/fuzz config`, it fuzzes.
@main
enum FuzzConfiguration {
    static func main() {
        #if FACESTREAM_FUZZING
            FuzzDriver.runLibFuzzer(fuzzerTestOneInput)
        #else
            FuzzDriver.runFiles(ConfigurationHarness.check)
        #endif
    }
}
