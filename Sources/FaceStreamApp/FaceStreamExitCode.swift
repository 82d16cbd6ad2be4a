/// Every exit status `facestream` uses, in one place (documented in the README).
public enum FaceStreamExitCode: Int32, Sendable {
    /// Everything asked for was done.
    case success = 0
    /// The run finished but at least one input failed (each failure was reported on stderr).
    case someInputsFailed = 1
    /// Bad command line (ArgumentParser's validation errors use this too).
    case usage = 64
    /// The model file is not a usable UltraFace ONNX model.
    case badModel = 65
    /// The model file (or another required input) does not exist.
    case missingInput = 66
    /// Output could not be written.
    case outputFailed = 74
    /// Bad configuration file; systemd must not restart on it.
    case badConfig = 78
}
