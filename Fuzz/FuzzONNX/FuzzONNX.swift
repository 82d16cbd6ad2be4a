import FuzzSupport

#if FACESTREAM_FUZZING
    /// libFuzzer's entry point: one input per call.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        ONNXHarness.check(FuzzDriver.bytes(data, size))
        return 0
    }
#endif

/// `FuzzONNX FILE|DIR...` runs the ONNX harness on files; built by `scripts/fuzz onnx`, it fuzzes.
@main
enum FuzzONNX {
    static func main() {
        #if FACESTREAM_FUZZING
            FuzzDriver.runLibFuzzer(fuzzerTestOneInput)
        #else
            FuzzDriver.runFiles(ONNXHarness.check)
        #endif
    }
}
