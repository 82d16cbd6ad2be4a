import FaceStreamApp
import TestSupport
import Testing

@testable import FaceStreamDaemon

/// `ModelCache`: streams naming the same model (by name, by path or by default) run on one
/// compiled copy of it; a reload drops the copies no stream uses any more.
@Suite struct ModelCacheTests {
    private let locator = ModelLocator(environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path])

    @Test func streamsNamingTheSameModelShareOneCompiledCopy() throws {
        var cache = ModelCache(locator: locator)
        let byDefault = try cache.model(nil, threads: 1)
        let byName = try cache.model("version-RFB-320.onnx", threads: 1)
        let byPath = try cache.model(SharedData.models.appendingPathComponent("version-RFB-320.onnx").path, threads: 1)
        #expect(byName.compiled === byDefault.compiled)
        #expect(byPath.compiled === byDefault.compiled)
        let slim = try cache.model("version-slim-320.onnx", threads: 1)
        #expect(slim.compiled !== byDefault.compiled)
        #expect(cache.count == 2)
        cache.keepOnly([slim])
        #expect(cache.count == 1)
        #expect(try cache.model("version-slim-320.onnx", threads: 1).compiled === slim.compiled)
    }
}
