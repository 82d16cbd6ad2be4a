/// Splits a protobuf message into its top-level fields (tests only; assumes valid input).
struct TopLevelField {
    var number: Int
    var wireType: Int
    /// The encoded field: key, optional length prefix and value.
    var encoded: ArraySlice<UInt8>
    /// For length-delimited fields, the value without key and length.
    var payload: ArraySlice<UInt8>

    static func split(_ bytes: [UInt8]) -> [TopLevelField] {
        var fields: [TopLevelField] = []
        var position = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while position < bytes.count {
            let start = position
            let key = varint()
            let wireType = Int(key & 7)
            var payloadStart = position
            switch wireType {
            case 0: _ = varint()
            case 1: position += 8
            case 2:
                let length = Int(varint())
                payloadStart = position
                position += length
            case 5: position += 4
            default: preconditionFailure("unexpected wire type \(wireType)")
            }
            fields.append(
                TopLevelField(
                    number: Int(key >> 3), wireType: wireType, encoded: bytes[start..<position],
                    payload: bytes[payloadStart..<position]))
        }
        return fields
    }
}
