import FaceDetection
import NeuralEngine
import ONNXImport
import TestSupport
import Testing

@Suite struct ModelLayoutTests {
    static let modelIDs: [String] = (try? GoldenManifest.load().models.keys.sorted()) ?? []

    @Test func allNineModelsAreListed() {
        #expect(Self.modelIDs.count == 9)
    }

    @Test(arguments: modelIDs)
    func layoutMatchesTheManifest(modelID: String) throws {
        let entry = try #require(try GoldenManifest.load().models[modelID])
        let loaded = try CompiledFaceModel.load(modelID)
        let layout = loaded.layout
        #expect(layout.inputName == entry.inputName)
        #expect(layout.inputWidth == entry.inputWidth && layout.inputHeight == entry.inputHeight)
        #expect(layout.classCount == entry.labels.count)
        #expect(layout.boxEncoding == (entry.boxesOutput == "offsets" ? .offsets : .corners))
        #expect(FaceLabels.names(classCount: layout.classCount) == entry.labels)
    }
}
