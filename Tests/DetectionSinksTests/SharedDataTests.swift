import Foundation
import Testing
import TestSupport

@Test func sharedDataIsPresent() {
    #expect(FileManager.default.fileExists(atPath: SharedData.golden.appendingPathComponent("manifest.json").path))
}
