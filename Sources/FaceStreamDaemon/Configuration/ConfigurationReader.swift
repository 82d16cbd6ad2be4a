import FaceStreamApp
import Foundation
import TOMLKit

/// Reads typed values out of one TOML table, recording a `ConfigurationProblem` (with the key's
/// line) for every wrong type or value and for every key it was never asked about.
final class ConfigurationReader {
    let file: String
    let locator: TOMLKeyLocator
    private(set) var problems: [ConfigurationProblem] = []

    init(file: String, locator: TOMLKeyLocator) {
        self.file = file
        self.locator = locator
    }

    /// Records a problem with `key` in `scope`.
    func problem(_ message: String, key: String?, in scope: Scope, hint: String? = nil) {
        let line = key.flatMap { locator.line(of: $0, in: scope.context) } ?? scope.headerLine
        problems.append(ConfigurationProblem(file: file, line: line, message: scope.prefix + message, hint: hint))
    }

    /// A table being read: where its keys sit and how messages name it.
    struct Scope {
        var context: TOMLKeyLocator.Context
        /// Line of the table header (for problems of the table as a whole).
        var headerLine: Int?
        /// Message prefix, e.g. `stream "door": `.
        var prefix: String
    }

    /// Reports keys of `table` not in `known`, with the closest known key as a hint.
    func rejectUnknownKeys(of table: TOMLTable, known: [String], in scope: Scope) {
        for key in table.keys where !known.contains(key) {
            let suggestion = known.min { Self.distance(key, $0) < Self.distance(key, $1) }
            let hint: String
            if let suggestion, Self.distance(key, suggestion) <= max(2, key.count / 3) {
                hint = "did you mean \"\(suggestion)\"?"
            } else {
                hint = "known keys: \(known.joined(separator: ", "))"
            }
            problem("unknown key \"\(key)\"", key: key, in: scope, hint: hint)
        }
    }

    func string(_ key: String, in table: TOMLTable, scope: Scope) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else {
            problem(
                "\(key) must be a string, got \(Self.describe(value))", key: key, in: scope,
                hint: "quote it: \(key) = \"...\"")
            return nil
        }
        return text
    }

    func integer(_ key: String, in table: TOMLTable, scope: Scope, range: ClosedRange<Int>, hint: String) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else {
            problem("\(key) must be an integer, got \(Self.describe(value))", key: key, in: scope, hint: hint)
            return nil
        }
        guard range.contains(number) else {
            problem(
                "\(key) must be between \(range.lowerBound) and \(range.upperBound), got \(number)", key: key,
                in: scope, hint: hint)
            return nil
        }
        return number
    }

    /// A number (integer or float) that passes `isValid`; `rule` says what is allowed.
    func number(_ key: String, in table: TOMLTable, scope: Scope, rule: String, hint: String, isValid: (Double) -> Bool)
        -> Double?
    {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            problem("\(key) must be a number, got \(Self.describe(value))", key: key, in: scope, hint: hint)
            return nil
        }
        guard number.isFinite, isValid(number) else {
            problem("\(key) must be \(rule), got \(number)", key: key, in: scope, hint: hint)
            return nil
        }
        return number
    }

    func bool(_ key: String, in table: TOMLTable, scope: Scope) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else {
            problem("\(key) must be true or false, got \(Self.describe(value))", key: key, in: scope, hint: nil)
            return nil
        }
        return flag
    }

    /// A short description of a TOML value for messages: its type and text.
    static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: "a string \"\(value.string ?? "")\""
        case .table: "a table"
        case .array: "an array"
        default: "\(value.type) \(value.debugDescription)"
        }
    }

    /// Levenshtein distance, for "did you mean" hints.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
