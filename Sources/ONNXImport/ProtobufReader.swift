/// Reads the protobuf wire format from a byte buffer, one field at a time, without ever trapping.
///
/// Every read is bounds-checked against the end of the current message and throws an
/// `ONNXImportError` naming the byte offset (from the start of the file) and the field being read.
/// A reader for a nested message is a copy limited to that message's bytes, one level deeper;
/// nesting beyond `maximumDepth` is rejected so that hostile files cannot exhaust the stack.
///
/// The buffer is borrowed: a reader and the ranges it returns are valid only inside the
/// `withUnsafeBytes` call that produced the buffer.
struct ProtobufReader {
    /// The wire types of protobuf; groups (3 and 4) are obsolete and never used by ONNX.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    /// A field key: the field number and how its value is encoded.
    struct FieldKey {
        var number: Int
        var wireType: WireType
        /// Offset of the key in the file.
        var offset: Int
    }

    /// Nested messages deeper than this are rejected (ONNX needs about 8 levels).
    static let maximumDepth = 64

    /// The whole file.
    let buffer: UnsafeRawBufferPointer
    /// Next byte to read, as an offset from the start of `buffer`.
    private(set) var position: Int
    /// One past the last byte of the current message.
    let end: Int
    /// Name of the message being read, e.g. "NodeProto", used in errors.
    let message: String
    /// Nesting level: 0 for the top-level message.
    let depth: Int

    /// A reader for the top-level message that fills the whole buffer.
    init(buffer: UnsafeRawBufferPointer, message: String) {
        self.init(buffer: buffer, range: 0..<buffer.count, message: message, depth: 0)
    }

    /// A reader for a sub-range of the parent's message (a packed run), at the same depth.
    init(bounded parent: ProtobufReader, to range: Range<Int>) {
        self.init(buffer: parent.buffer, range: range, message: parent.message, depth: parent.depth)
    }

    private init(buffer: UnsafeRawBufferPointer, range: Range<Int>, message: String, depth: Int) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
        self.message = message
        self.depth = depth
    }

    /// True when the current message has no more bytes.
    var isAtEnd: Bool { position >= end }

    /// Reads the next field key, or returns nil at the end of the message.
    mutating func nextField() throws(ONNXImportError) -> FieldKey? {
        guard position < end else { return nil }
        let offset = position
        let key = try readVarint(field: "field key")
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw error(.malformed, "invalid field number \(number)", at: offset, field: "field key")
        }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw error(.malformed, "invalid wire type \(key & 7) for field \(number)", at: offset, field: "field key")
        }
        return FieldKey(number: Int(number), wireType: wireType, offset: offset)
    }

    // MARK: Scalars

    /// Reads a base-128 varint of at most 10 bytes.
    mutating func readVarint(field: String) throws(ONNXImportError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw truncation("truncated varint", at: start, field: field)
            }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw error(.malformed, "varint overflows 64 bits", at: start, field: field)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a varint as a two's-complement int64 (protobuf `int64`, `int32` and enums).
    mutating func readInt64(field: String) throws(ONNXImportError) -> Int64 {
        Int64(bitPattern: try readVarint(field: field))
    }

    /// Reads a varint that must fit in 32 signed bits (protobuf `int32` and enums).
    mutating func readInt32(field: String) throws(ONNXImportError) -> Int32 {
        let start = position
        let value = try readInt64(field: field)
        guard let narrow = Int32(exactly: value) else {
            throw error(.malformed, "value \(value) does not fit in int32", at: start, field: field)
        }
        return narrow
    }

    /// Reads 4 little-endian bytes.
    mutating func readFixed32(field: String) throws(ONNXImportError) -> UInt32 {
        guard end - position >= 4 else { throw truncation("truncated 32-bit value", at: position, field: field) }
        let value = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return value
    }

    /// Reads 8 little-endian bytes.
    mutating func readFixed64(field: String) throws(ONNXImportError) -> UInt64 {
        guard end - position >= 8 else { throw truncation("truncated 64-bit value", at: position, field: field) }
        let value = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return value
    }

    /// Reads a protobuf `float` (fixed32).
    mutating func readFloat(field: String) throws(ONNXImportError) -> Float {
        Float(bitPattern: try readFixed32(field: field))
    }

    // MARK: Length-delimited values

    /// Reads a length prefix and returns the range of the bytes that follow, skipping over them.
    mutating func readLengthDelimited(field: String) throws(ONNXImportError) -> Range<Int> {
        let start = position
        let length = try readVarint(field: field)
        let remaining = end - position
        guard length <= UInt64(remaining) else {
            throw truncation(
                "length \(length) exceeds the \(remaining) bytes left", at: start, field: field,
                // A value that runs past the end of the file is a truncation; one that runs past the
                // end of its enclosing message while the file goes on is corruption.
                isTruncation: end == buffer.count)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Reads a length-delimited UTF-8 string (invalid sequences become U+FFFD).
    mutating func readString(field: String) throws(ONNXImportError) -> String {
        let range = try readLengthDelimited(field: field)
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Reads a length-delimited embedded message and returns a reader limited to it.
    mutating func readMessage(field: String, message: String) throws(ONNXImportError) -> ProtobufReader {
        let start = position
        let range = try readLengthDelimited(field: field)
        guard depth < Self.maximumDepth else {
            throw error(.malformed, "messages nested deeper than \(Self.maximumDepth) levels", at: start, field: field)
        }
        return ProtobufReader(buffer: buffer, range: range, message: message, depth: depth + 1)
    }

    /// Skips the value of a field this reader does not use.
    mutating func skip(_ key: FieldKey) throws(ONNXImportError) {
        let field = "field \(key.number)"
        switch key.wireType {
        case .varint: _ = try readVarint(field: field)
        case .fixed64: _ = try readFixed64(field: field)
        case .lengthDelimited: _ = try readLengthDelimited(field: field)
        case .fixed32: _ = try readFixed32(field: field)
        case .startGroup, .endGroup:
            throw error(
                .malformed, "unsupported wire type \(key.wireType.rawValue) (group)", at: key.offset, field: field)
        }
    }

    /// Throws unless the key has the expected wire type.
    func expect(_ key: FieldKey, _ wireType: WireType, field: String) throws(ONNXImportError) {
        guard key.wireType == wireType else {
            throw error(
                .malformed, "wire type \(key.wireType.rawValue) where \(wireType.rawValue) was expected",
                at: key.offset, field: field)
        }
    }

    // MARK: Errors

    /// An error at `offset` in field `field` of the current message.
    func error(_ code: ONNXImportError.Code, _ what: String, at offset: Int, field: String) -> ONNXImportError {
        ONNXImportError(code, what, byteOffset: offset, field: "\(message).\(field)")
    }

    private func truncation(_ what: String, at offset: Int, field: String, isTruncation: Bool? = nil)
        -> ONNXImportError
    {
        // Running out of bytes inside a nested message whose declared end lies before the end of the
        // file means the length prefix lied: the file is corrupt rather than cut short.
        let truncated = isTruncation ?? (end == buffer.count)
        return error(truncated ? .truncated : .malformed, what, at: offset, field: field)
    }
}
