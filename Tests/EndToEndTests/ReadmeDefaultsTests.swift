import Foundation
import TestSupport
import Testing

/// The README's option tables give each option's default in their second column; the binary's
/// `detect --help` gives its own. They must agree, or the README misleads. Compared: a README
/// default that starts with a number against the first number of the help's default (`1` and
/// `1.0`, `0 (all)` and `0`), and a one-word README default against the help's default phrase
/// (`fastest` and "the fastest offered"). Longer README phrases ("file name / URL host") are
/// not compared.
@Suite struct ReadmeDefaultsTests {
    /// `--option` -> its help text, lines joined.
    static func helpBlocks(_ help: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let match = line.firstMatch(of: /^  (?:-[a-zA-Z], )?(--[a-z0-9-]+)/) {
                current = String(match.1)
                blocks[String(match.1)] = line
            } else if let option = current, line.hasPrefix("      ") {
                blocks[option, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                current = nil
            }
        }
        return blocks
    }

    /// The help's default phrase: after "default:" (or "default ") up to ")", ";" or ",".
    static func helpDefault(_ block: String) -> String? {
        guard let match = block.firstMatch(of: /default:? ([^);,]+)/) else { return nil }
        return String(match.1).trimmingCharacters(in: .whitespaces)
    }

    static func leadingNumber(_ text: String) -> Double? {
        guard let match = text.firstMatch(of: /^-?[0-9]+(\.[0-9]+)?/) else { return nil }
        return Double(match.0)
    }

    @Test func optionDefaultsInTheReadmeMatchTheBinary() throws {
        let help = try ProcessRunner.run(FaceStreamBinary.path, ["detect", "--help"])
        let blocks = Self.helpBlocks(help.stdout + help.stderr)
        #expect(blocks.count > 40, "help parsed into \(blocks.count) options")
        let readme = try String(
            contentsOf: SharedData.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var compared = 0
        for line in readme.split(separator: "\n") {
            guard let row = line.firstMatch(of: /^\| `(--[a-z0-9-]+)[^`]*`[^|]*\| ([^|]+?) \|/) else { continue }
            let option = String(row.1)
            let documented = String(row.2).trimmingCharacters(in: CharacterSet(charactersIn: "` "))
            guard let block = blocks[option] else {
                Issue.record("README documents \(option), which `detect --help` does not list")
                continue
            }
            guard let given = Self.helpDefault(block) else { continue }
            if let number = Self.leadingNumber(documented), let helpNumber = Self.leadingNumber(given) {
                #expect(number == helpNumber, "\(option): README says \(documented), help says \(given)")
                compared += 1
            } else if documented.firstMatch(of: /^[A-Za-z0-9<>_.-]+$/) != nil {
                #expect(
                    given.localizedCaseInsensitiveContains(documented)
                        || documented.localizedCaseInsensitiveContains(given),
                    "\(option): README says \(documented), help says \(given)")
                compared += 1
            }
        }
        // The tables hold about 25 such defaults; far fewer means the parsing broke.
        #expect(compared >= 20, "compared only \(compared) defaults")
    }
}
