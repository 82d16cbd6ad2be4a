import Foundation
import TestSupport
import Testing

@Test func sharedDataIsPresent() {
    #expect(FileManager.default.fileExists(atPath: SharedData.golden.appendingPathComponent("manifest.json").path))
}
