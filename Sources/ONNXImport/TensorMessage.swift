/// The fields of an ONNX `TensorProto` that the importer uses. `raw_data` stays in the file buffer
/// (as a range) until the tensor is converted, so it is copied only once.
struct TensorMessage {
    var name = ""
    var dims: [Int64] = []
    /// `TensorProto.DataType` (1 = FLOAT, 6 = INT32, 7 = INT64, ...).
    var dataType: Int32 = 0
    var rawData: Range<Int>?
    var floatData: [Float] = []
    /// `int32_data`, also used for other small integer types; kept wide until checked.
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    /// True when `data_location` is EXTERNAL or `external_data` entries are present.
    var isExternal = false
    /// True when the tensor is split into segments (not supported).
    var isSegmented = false
    /// Offset of the tensor's first byte in the file.
    var byteOffset: Int

    /// Reads a whole `TensorProto`.
    init(reading reader: inout ProtobufReader) throws(ONNXImportError) {
        byteOffset = reader.position
        while let key = try reader.nextField() {
            switch key.number {
            case 1:
                try reader.appendVarints(key, to: &dims, field: "dims")
            case 2:
                try reader.expect(key, .varint, field: "data_type")
                dataType = try reader.readInt32(field: "data_type")
            case 3:
                isSegmented = true
                try reader.skip(key)
            case 4:
                try reader.appendFloats(key, to: &floatData, field: "float_data")
            case 5:
                try reader.appendVarints(key, to: &int32Data, field: "int32_data")
            case 7:
                try reader.appendVarints(key, to: &int64Data, field: "int64_data")
            case 8:
                try reader.expect(key, .lengthDelimited, field: "name")
                name = try reader.readString(field: "name")
            case 9:
                try reader.expect(key, .lengthDelimited, field: "raw_data")
                rawData = try reader.readLengthDelimited(field: "raw_data")
            case 10:
                try reader.appendDoubles(key, to: &doubleData, field: "double_data")
            case 13:
                try reader.expect(key, .lengthDelimited, field: "external_data")
                _ = try reader.readLengthDelimited(field: "external_data")
                isExternal = true
            case 14:
                try reader.expect(key, .varint, field: "data_location")
                if try reader.readInt32(field: "data_location") == 1 { isExternal = true }
            default:
                try reader.skip(key)
            }
        }
    }
}
