import Foundation

#if FACESTREAM_FUZZING
    internal import CFuzzerDriver
#endif

/// The two ways a fuzz harness runs: under libFuzzer (built by `scripts/fuzz` with
/// `-D FACESTREAM_FUZZING`), or as a plain program that runs the harness once per file named on
/// its command line (folders are read one level deep), which the normal build and tests use.
public enum FuzzDriver {
    /// Exit code of the plain program when an argument cannot be read.
    public static let unreadableInputExitCode: Int32 = 2

    /// Copies libFuzzer's input into an array; `data` is nil when `size` is 0.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    #if FACESTREAM_FUZZING
        /// Hands the process to libFuzzer with `testOneInput` (the target's `LLVMFuzzerTestOneInput`).
        public static func runLibFuzzer(
            _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
        ) -> Never {
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        }
    #endif

    /// Runs `harness` on every file named by the arguments and prints one summary line to stdout.
    ///
    /// A harness that finds a broken invariant traps, so a clean exit means every input passed.
    public static func runFiles(_ harness: ([UInt8]) -> Void) -> Never {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            for path in files(at: argument) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                    exit(unreadableInputExitCode)
                }
                harness([UInt8](data))
                count += 1
            }
        }
        print("\(count) inputs passed")
        exit(0)
    }

    /// `path` itself, or the regular files directly inside it (sorted) when it is a folder.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }
}
