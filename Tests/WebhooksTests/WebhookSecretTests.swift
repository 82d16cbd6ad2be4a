import Foundation
import TestSupport
import Testing
import Webhooks

@Suite struct WebhookSecretTests {
    private func secret(_ contents: [UInt8]) throws -> Result<WebhookSecret, WebhookOutputError> {
        let dir = try ProcessRunner.temporaryDirectory("secret")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("secret").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return Result { () throws(WebhookOutputError) in try WebhookSecret.read(path: path) }
    }

    @Test func oneTrailingNewlineIsRemoved() throws {
        #expect(try secret(Array("abc\n".utf8)).get() == WebhookSecret(key: Array("abc".utf8)))
        #expect(try secret(Array("abc\r\n".utf8)).get() == WebhookSecret(key: Array("abc".utf8)))
        #expect(try secret(Array("abc\n\n".utf8)).get() == WebhookSecret(key: Array("abc\n".utf8)))
        #expect(try secret(Array("a b".utf8)).get() == WebhookSecret(key: Array("a b".utf8)))
    }

    @Test func emptyAndOversizedFilesAreRefused() throws {
        for contents in [[], Array("\n".utf8), [UInt8](repeating: 65, count: WebhookLimits.maximumSecretBytes + 1)] {
            #expect(throws: WebhookOutputError.self) { try secret(contents).get() }
        }
        let largest = try secret([UInt8](repeating: 65, count: WebhookLimits.maximumSecretBytes)).get()
        #expect(largest == WebhookSecret(key: [UInt8](repeating: 65, count: WebhookLimits.maximumSecretBytes)))
    }

    @Test func aFolderOrAMissingFileIsRefusedAndTheKeyIsNeverDescribed() throws {
        #expect(throws: WebhookOutputError.self) { try WebhookSecret.read(path: "/tmp") }
        #expect(throws: WebhookOutputError.self) { try WebhookSecret.read(path: "/nonexistent/secret") }
        #expect(!WebhookSecret(key: Array("hunter2".utf8)).description.contains("hunter2"))
    }
}
