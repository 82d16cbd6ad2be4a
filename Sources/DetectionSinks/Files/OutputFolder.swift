import CoreSupport

#if canImport(Glibc)
    import Glibc
#endif

/// File-system steps shared by the outputs that write files into a folder (segmented
/// recordings, snapshots).
enum OutputFolder {
    /// The path of the file named `name` in `folder` (one slash between them).
    static func path(of name: String, in folder: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Creates the file `probeName` in `folder` and removes it at once: whether files can be
    /// created there (a missing folder, a read-only mount, missing permissions fail).
    static func probe(_ folder: String, probeName: String) -> Result<Void, SystemError> {
        let probe = path(of: probeName, in: folder)
        return retryingInterrupts { open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }.map { descriptor in
            close(descriptor)
            unlink(probe)
        }
    }
}
