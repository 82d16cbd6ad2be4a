/// The fields of an ONNX `ModelProto` that the importer uses.
struct ModelMessage {
    var irVersion: Int64 = 0
    /// (domain, version) pairs; "" and "ai.onnx" are the default operator set.
    var operatorSets: [(domain: String, version: Int64)] = []
    var producerName = ""
    var producerVersion = ""
    var graph: GraphMessage?

    /// Reads a whole `ModelProto`.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .varint, field: "ir_version")
                irVersion = try reader.readInt64(field: "ir_version")
            case 2:
                try reader.expect(key, .lengthDelimited, field: "producer_name")
                producerName = try reader.readString(field: "producer_name")
            case 3:
                try reader.expect(key, .lengthDelimited, field: "producer_version")
                producerVersion = try reader.readString(field: "producer_version")
            case 7:
                try reader.expect(key, .lengthDelimited, field: "graph")
                var nested = try reader.readMessage(field: "graph", message: "GraphProto")
                graph = try GraphMessage(reading: &nested)
            case 8:
                try reader.expect(key, .lengthDelimited, field: "opset_import")
                var nested = try reader.readMessage(field: "opset_import", message: "OperatorSetIdProto")
                operatorSets.append(try Self.readOperatorSet(&nested))
            default:
                try reader.skip(key)
            }
        }
    }

    private static func readOperatorSet(
        _ reader: inout ProtobufReader
    ) throws(ONNXImportError) -> (domain: String, version: Int64) {
        var domain = ""
        var version: Int64 = 0
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .lengthDelimited, field: "domain")
                domain = try reader.readString(field: "domain")
            case 2:
                try reader.expect(key, .varint, field: "version")
                version = try reader.readInt64(field: "version")
            default:
                try reader.skip(key)
            }
        }
        return (domain, version)
    }
}
