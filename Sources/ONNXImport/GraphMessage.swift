/// The fields of an ONNX `GraphProto` that the importer uses.
struct GraphMessage {
    var name = ""
    var nodes: [NodeMessage] = []
    var initializers: [TensorMessage] = []
    var inputs: [ValueInfoMessage] = []
    var outputs: [ValueInfoMessage] = []
    var valueInfo: [ValueInfoMessage] = []
    /// Offset of the first byte of the graph in the file, for errors about the graph as a whole.
    var byteOffset: Int

    /// Reads a whole `GraphProto`.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        byteOffset = reader.position
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .lengthDelimited, field: "node")
                var nested = try reader.readMessage(field: "node", message: "NodeProto")
                nodes.append(try NodeMessage(reading: &nested))
            case 2:
                try reader.expect(key, .lengthDelimited, field: "name")
                name = try reader.readString(field: "name")
            case 5:
                try reader.expect(key, .lengthDelimited, field: "initializer")
                var nested = try reader.readMessage(field: "initializer", message: "TensorProto")
                initializers.append(try TensorMessage(reading: &nested))
            case 11, 12, 13:
                let field = key.number == 11 ? "input" : key.number == 12 ? "output" : "value_info"
                try reader.expect(key, .lengthDelimited, field: field)
                var nested = try reader.readMessage(field: field, message: "ValueInfoProto")
                let info = try ValueInfoMessage(reading: &nested)
                switch key.number {
                case 11: inputs.append(info)
                case 12: outputs.append(info)
                default: valueInfo.append(info)
                }
            case 15:
                throw reader.error(
                    .unsupportedDataType, "sparse initializers are not supported", at: key.offset,
                    field: "sparse_initializer")
            default:
                try reader.skip(key)
            }
        }
    }
}
