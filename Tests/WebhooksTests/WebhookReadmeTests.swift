import CoreSupport
import Foundation
import TestSupport
import Testing
import Webhooks

/// The README's Webhooks section states the output's bounds as numbers; they must be
/// `WebhookLimits`' (the queue, the attempts, the waits between them, the default timeout).
@Suite struct WebhookReadmeTests {
    @Test func theReadmeStatesTheLimitsTheCodeHas() throws {
        let readme = try String(
            contentsOf: SharedData.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        // Sentences wrap anywhere: compare with single spaces.
        let text = readme.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let policy = WebhookRetryPolicy()
        let waits = (1..<policy.maximumAttempts).map { Self.seconds(policy.delay(afterAttempt: $0)) }
        let listed = waits.dropLast().joined(separator: ", ") + " and " + waits.last!
        for phrase in [
            "events wait in a queue of \(WebhookLimits.queueCapacity) per output",
            "is tried again after \(listed) (\(WebhookLimits.maximumAttempts) attempts in all)",
            "An attempt may take `--webhook-timeout` (\(Self.seconds(WebhookLimits.defaultTimeout)),",
        ] {
            #expect(text.contains(phrase), "README.md does not say: \(phrase)")
        }
    }

    /// "0.5 s", "1 s": how the README writes a duration.
    static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
