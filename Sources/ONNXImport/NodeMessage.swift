/// The fields of an ONNX `NodeProto` that the importer uses.
struct NodeMessage {
    var name = ""
    var operatorType = ""
    var domain = ""
    var inputs: [String] = []
    var outputs: [String] = []
    var attributes: [AttributeMessage] = []
    /// Offset of the node's first byte in the file.
    var byteOffset: Int

    /// Reads a whole `NodeProto`.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        byteOffset = reader.position
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .lengthDelimited, field: "input")
                inputs.append(try reader.readString(field: "input"))
            case 2:
                try reader.expect(key, .lengthDelimited, field: "output")
                outputs.append(try reader.readString(field: "output"))
            case 3:
                try reader.expect(key, .lengthDelimited, field: "name")
                name = try reader.readString(field: "name")
            case 4:
                try reader.expect(key, .lengthDelimited, field: "op_type")
                operatorType = try reader.readString(field: "op_type")
            case 5:
                try reader.expect(key, .lengthDelimited, field: "attribute")
                var nested = try reader.readMessage(field: "attribute", message: "AttributeProto")
                attributes.append(try AttributeMessage(reading: &nested))
            case 7:
                try reader.expect(key, .lengthDelimited, field: "domain")
                domain = try reader.readString(field: "domain")
            default:
                try reader.skip(key)
            }
        }
    }
}
