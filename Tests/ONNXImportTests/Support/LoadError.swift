import ONNXImport

/// The error loading `bytes` throws, or nil when they load.
func loadError(_ bytes: [UInt8]) -> ONNXImportError? {
    do {
        _ = try ONNXImporter.load(bytes: bytes)
        return nil
    } catch {
        return error
    }
}

/// The error loading `model` throws, or nil when it loads.
func loadError(_ model: TestModel) -> ONNXImportError? {
    loadError(model.encoded)
}
