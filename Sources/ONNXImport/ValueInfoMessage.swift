/// The fields of an ONNX `ValueInfoProto` (with its `TypeProto`) that the importer uses.
struct ValueInfoMessage {
    var name = ""
    /// True when the type is a tensor type (not a sequence, map, optional or sparse tensor).
    var isTensor = false
    /// `TensorProto.DataType` of the elements, 0 when not given.
    var elementType: Int32 = 0
    /// Dimensions; nil entries are symbolic (`dim_param`) or unknown. Nil when no shape is given.
    var shape: [Int?]?
    /// Offset of the value info's first byte in the file.
    var byteOffset: Int

    /// Reads a whole `ValueInfoProto`.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        byteOffset = reader.position
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .lengthDelimited, field: "name")
                name = try reader.readString(field: "name")
            case 2:
                try reader.expect(key, .lengthDelimited, field: "type")
                var type = try reader.readMessage(field: "type", message: "TypeProto")
                try readType(&type)
            default:
                try reader.skip(key)
            }
        }
    }

    private mutating func readType(_ reader: inout ProtobufReader) throws(ONNXImportError) {
        while let key = try reader.nextField() {
            if key.number == 1 {
                try reader.expect(key, .lengthDelimited, field: "tensor_type")
                var tensor = try reader.readMessage(field: "tensor_type", message: "TypeProto.Tensor")
                isTensor = true
                try readTensorType(&tensor)
            } else {
                try reader.skip(key)
            }
        }
    }

    private mutating func readTensorType(_ reader: inout ProtobufReader) throws(ONNXImportError) {
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .varint, field: "elem_type")
                elementType = try reader.readInt32(field: "elem_type")
            case 2:
                try reader.expect(key, .lengthDelimited, field: "shape")
                var shapeReader = try reader.readMessage(field: "shape", message: "TensorShapeProto")
                var dimensions: [Int?] = []
                while let dimKey = try shapeReader.nextField() {
                    guard dimKey.number == 1 else {
                        try shapeReader.skip(dimKey)
                        continue
                    }
                    try shapeReader.expect(dimKey, .lengthDelimited, field: "dim")
                    var dimension = try shapeReader.readMessage(field: "dim", message: "TensorShapeProto.Dimension")
                    dimensions.append(try Self.readDimension(&dimension))
                }
                shape = dimensions
            default:
                try reader.skip(key)
            }
        }
    }

    /// A `dim_value`, or nil for a `dim_param` or an unset dimension.
    private static func readDimension(_ reader: inout ProtobufReader) throws(ONNXImportError) -> Int? {
        var value: Int?
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .varint, field: "dim_value")
                let offset = reader.position
                let raw = try reader.readInt64(field: "dim_value")
                guard raw >= 0 else {
                    throw reader.error(.malformed, "negative dimension \(raw)", at: offset, field: "dim_value")
                }
                value = Int(raw)
            case 2:
                try reader.expect(key, .lengthDelimited, field: "dim_param")
                _ = try reader.readLengthDelimited(field: "dim_param")
                value = nil
            default:
                try reader.skip(key)
            }
        }
        return value
    }
}
