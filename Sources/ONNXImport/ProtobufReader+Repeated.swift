/// Repeated scalar fields, packed (one length-delimited run) or unpacked (one key per element);
/// protobuf parsers must accept both.
extension ProtobufReader {
    /// Appends the value(s) of a repeated varint field (`int64`, `int32`, enums) to `values`.
    mutating func appendVarints(
        _ key: FieldKey, to values: inout [Int64], field: String
    ) throws(ONNXImportError) {
        switch key.wireType {
        case .varint:
            values.append(try readInt64(field: field))
        case .lengthDelimited:
            let range = try readLengthDelimited(field: field)
            var packed = ProtobufReader(bounded: self, to: range)
            while !packed.isAtEnd {
                values.append(try packed.readInt64(field: field))
            }
        default:
            try expect(key, .varint, field: field)
        }
    }

    /// Appends the value(s) of a repeated `float` field to `values`; a packed run is copied in one go.
    mutating func appendFloats(_ key: FieldKey, to values: inout [Float], field: String) throws(ONNXImportError) {
        switch key.wireType {
        case .fixed32:
            values.append(try readFloat(field: field))
        case .lengthDelimited:
            let start = position
            let range = try readLengthDelimited(field: field)
            guard range.count % 4 == 0 else {
                throw error(
                    .malformed, "packed floats of \(range.count) bytes (not a multiple of 4)", at: start, field: field)
            }
            values.append(contentsOf: LittleEndianBytes(buffer: buffer, range: range).floats())
        default:
            try expect(key, .fixed32, field: field)
        }
    }

    /// Appends the value(s) of a repeated `double` field to `values`.
    mutating func appendDoubles(_ key: FieldKey, to values: inout [Double], field: String) throws(ONNXImportError) {
        switch key.wireType {
        case .fixed64:
            values.append(Double(bitPattern: try readFixed64(field: field)))
        case .lengthDelimited:
            let start = position
            let range = try readLengthDelimited(field: field)
            guard range.count % 8 == 0 else {
                throw error(
                    .malformed, "packed doubles of \(range.count) bytes (not a multiple of 8)", at: start, field: field)
            }
            var packed = ProtobufReader(bounded: self, to: range)
            while !packed.isAtEnd {
                values.append(Double(bitPattern: try packed.readFixed64(field: field)))
            }
        default:
            try expect(key, .fixed64, field: field)
        }
    }
}
