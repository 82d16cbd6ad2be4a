import Foundation
import Logging

/// Log lines on stderr for people and for journald: `facestream: warning: message`, or, when
/// `$JOURNAL_STREAM` says stderr is the journal, `<4>message` with the syslog priority prefix that
/// journald turns into the entry's priority.
public struct ConsoleLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let journal: Bool

    /// - Parameters:
    ///   - label: the logger label (not printed; the tool name is).
    ///   - level: the minimum level written.
    ///   - journal: prefix priorities for journald; defaults to whether `$JOURNAL_STREAM` is set.
    public init(
        label: String, level: Logger.Level = .info,
        journal: Bool = !(ProcessInfo.processInfo.environment["JOURNAL_STREAM"] ?? "").isEmpty
    ) {
        self.label = label
        self.logLevel = level
        self.journal = journal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Longest message written: inputs, URLs and values from files are echoed in messages, and a
    /// hostile one can be megabytes long; the rest is cut (saying how long it was).
    public static let maximumMessageLength = 1000

    public func log(event: LogEvent) {
        var text = "\(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        if text.utf8.count > Self.maximumMessageLength {
            text = String(text.prefix(Self.maximumMessageLength)) + "... (\(text.utf8.count) bytes, cut)"
        }
        // One event is one line, whatever the names in it hold.
        text = text.replacingOccurrences(of: "\n", with: " ")
        let line: String
        if journal {
            line = "<\(Self.syslogPriority(event.level))>\(text)\n"
        } else {
            let levelWord = event.level == .info || event.level == .notice ? "" : "\(Self.word(event.level)): "
            line = "facestream: \(levelWord)\(text)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// syslog(3) priority numbers.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func word(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        case .critical: "critical"
        }
    }
}
