/// The fields of an ONNX `AttributeProto` that the importer uses.
struct AttributeMessage {
    /// `AttributeProto.AttributeType`: which of the value fields holds the value.
    enum Kind: Int32 {
        case undefined = 0
        case float = 1
        case int = 2
        case string = 3
        case tensor = 4
        case graph = 5
        case floats = 6
        case ints = 7
        case strings = 8
        case tensors = 9
        case graphs = 10
        case sparseTensor = 11
        case sparseTensors = 12
        case typeProto = 13
        case typeProtos = 14

        /// A readable name for errors.
        var name: String { String(describing: self).uppercased() }
    }

    var name = ""
    /// The declared type, or (in files that omit it) the kind of the last value field present.
    var kind: Kind = .undefined
    var float: Float = 0
    var int: Int64 = 0
    var string = ""
    var tensor: TensorMessage?
    var floats: [Float] = []
    var ints: [Int64] = []
    /// Offset of the attribute's first byte in the file.
    var byteOffset: Int

    /// Reads a whole `AttributeProto`. Graph, sparse and type values are skipped: no supported
    /// operator takes them, so an attribute holding one is rejected later by its kind.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        byteOffset = reader.position
        var declared: Kind?
        var seen: Kind = .undefined
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.expect(key, .lengthDelimited, field: "name")
                name = try reader.readString(field: "name")
            case 20:
                try reader.expect(key, .varint, field: "type")
                let raw = try reader.readInt32(field: "type")
                guard let kind = Kind(rawValue: raw) else {
                    throw reader.error(.malformed, "unknown attribute type \(raw)", at: key.offset, field: "type")
                }
                declared = kind
            case 2:
                try reader.expect(key, .fixed32, field: "f")
                float = try reader.readFloat(field: "f")
                seen = .float
            case 3:
                try reader.expect(key, .varint, field: "i")
                int = try reader.readInt64(field: "i")
                seen = .int
            case 4:
                try reader.expect(key, .lengthDelimited, field: "s")
                string = try reader.readString(field: "s")
                seen = .string
            case 5:
                try reader.expect(key, .lengthDelimited, field: "t")
                var nested = try reader.readMessage(field: "t", message: "TensorProto")
                tensor = try TensorMessage(reading: &nested)
                seen = .tensor
            case 7:
                try reader.appendFloats(key, to: &floats, field: "floats")
                seen = .floats
            case 8:
                try reader.appendVarints(key, to: &ints, field: "ints")
                seen = .ints
            case 6:
                seen = .graph
                try reader.skip(key)
            case 9:
                seen = .strings
                try reader.skip(key)
            case 10:
                seen = .tensors
                try reader.skip(key)
            case 11:
                seen = .graphs
                try reader.skip(key)
            case 14:
                seen = .typeProto
                try reader.skip(key)
            case 15:
                seen = .typeProtos
                try reader.skip(key)
            case 22:
                seen = .sparseTensor
                try reader.skip(key)
            case 23:
                seen = .sparseTensors
                try reader.skip(key)
            default:
                try reader.skip(key)
            }
        }
        kind = declared ?? seen
    }
}
