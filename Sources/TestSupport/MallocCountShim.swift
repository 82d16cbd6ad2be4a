import Foundation

/// The malloc-counting shim of `Benchmarks/MallocCount` for the allocation tests: built with `cc`
/// into a directory the test owns, then preloaded (`LD_PRELOAD`) into the program it measures.
public enum MallocCountShim {
    /// Builds the shim into `directory` and returns its path.
    public static func build(into directory: URL) throws -> String {
        let shim = directory.appendingPathComponent("libmalloccount.so").path
        let source = SharedData.repositoryRoot.appendingPathComponent("Benchmarks/MallocCount/malloccount.c").path
        try ProcessRunner.tool(["cc", "-O2", "-shared", "-fPIC", "-o", shim, source, "-ldl"])
        return shim
    }
}
