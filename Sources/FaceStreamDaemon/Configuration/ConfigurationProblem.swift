import FaceStreamApp

/// One thing wrong with a configuration file: where, what, and what to do.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The configuration file as named by the user.
    public var file: String
    /// 1-based line of the offending key or table, when it could be found.
    public var line: Int?
    /// What is wrong, naming the key (and the stream).
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?

    /// Longest message kept: values from the file are echoed in messages, and a hostile file can
    /// hold megabyte-long ones.
    public static let maximumMessageLength = 300

    /// A problem at `file:line`; a message longer than `maximumMessageLength` is cut.
    public init(file: String, line: Int?, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.message =
            message.count > Self.maximumMessageLength
            ? String(message.prefix(Self.maximumMessageLength)) + "... (\(message.count) characters, cut)" : message
        self.hint = hint
    }

    /// `file:line: message (hint)` on one line.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(message)" + (hint.map { "; \($0)" } ?? "")
    }
}

/// A configuration that cannot be used: every problem found, in line order.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The problems, at least one, in line order.
    public var problems: [ConfigurationProblem]

    /// An error of `problems`.
    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
