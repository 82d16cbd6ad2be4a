import CoreSupport
import Foundation
import Testing

@Suite struct SecretFileTests {
    private func read(_ contents: [UInt8]) throws -> Result<[UInt8], SecretFile.Failure> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("secret").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return Result { () throws(SecretFile.Failure) in try SecretFile.read(path: path, what: "test secret file") }
    }

    @Test func oneTrailingNewlineIsNotPartOfTheSecret() throws {
        #expect(try read(Array("abc\n".utf8)).get() == Array("abc".utf8))
        #expect(try read(Array("abc\r\n".utf8)).get() == Array("abc".utf8))
        #expect(try read(Array("abc\n\n".utf8)).get() == Array("abc\n".utf8))
        #expect(try read(Array("a b".utf8)).get() == Array("a b".utf8))
    }

    @Test func sizeLimitEmptyFilesFoldersAndMissingFiles() throws {
        let largest = [UInt8](repeating: 65, count: SecretFile.maximumBytes)
        #expect(try read(largest).get() == largest)
        for contents in [[], Array("\n".utf8), largest + [65]] {
            #expect(throws: SecretFile.Failure.self) { try read(contents).get() }
        }
        for path in ["/tmp", "/nonexistent/secret"] {
            #expect {
                try SecretFile.read(path: path, what: "test secret file")
            } throws: { error in
                "\(error)".hasPrefix("test secret file \(path) ")
            }
        }
    }
}
