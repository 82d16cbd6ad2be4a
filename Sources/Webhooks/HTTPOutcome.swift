/// What one POST attempt came to.
public enum HTTPOutcome: Sendable, Equatable {
    /// The receiver answered with this status (any status: the retry policy judges it).
    case answered(status: Int)
    /// No complete answer within the timeout (connecting, sending or waiting).
    case timedOut
    /// The connection could not be made or broke (refused, reset, name not resolved, TLS handshake);
    /// may pass.
    case connectionFailed(String)
    /// A failure that another attempt will not mend (certificate rejected, protocol refused).
    case failedForGood(String)
    /// The output was stopping and the attempt was abandoned.
    case cancelled

    /// A short reason for logs.
    public var reason: String {
        switch self {
        case .answered(let status): "the receiver answered \(status)"
        case .timedOut: "no answer within the timeout"
        case .connectionFailed(let message), .failedForGood(let message): message
        case .cancelled: "stopped"
        }
    }
}
