/// A minimal protobuf encoder for building ONNX test files in code.
///
/// It writes exactly what it is told, including invalid things (wrong wire types, lying length
/// prefixes) when a test asks for them.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func key(_ field: Int, wireType: Int) {
        varint(UInt64(field) << 3 | UInt64(wireType))
    }

    /// An `int64`/`int32`/enum field (negative values take 10 bytes, as protobuf writes them).
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, wireType: 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, wireType: 5)
        appendLittleEndian(value.bitPattern)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// An embedded message built by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        bytes(field, nested.bytes)
    }

    /// A packed repeated varint field.
    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var payload = ProtobufWriter()
        for value in values { payload.varint(UInt64(bitPattern: value)) }
        bytes(field, payload.bytes)
    }

    /// A packed repeated float field.
    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        var payload = ProtobufWriter()
        for value in values { payload.appendLittleEndian(value.bitPattern) }
        bytes(field, payload.bytes)
    }

    /// Raw bytes with no key (for hand-made invalid encodings).
    mutating func raw(_ values: [UInt8]) {
        bytes += values
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
