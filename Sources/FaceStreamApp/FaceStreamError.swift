/// An error the app reports as one line and maps to an exit status.
public struct FaceStreamError: Error, CustomStringConvertible, Sendable {
    /// The exit status a run that cannot go on ends with.
    public let exitCode: FaceStreamExitCode
    /// One line: what, where, what to do.
    public let message: String

    public init(_ exitCode: FaceStreamExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public var description: String { message }
}
