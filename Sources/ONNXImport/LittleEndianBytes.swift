/// A run of little-endian numbers inside the model buffer (tensor `raw_data`, packed floats),
/// decoded with one bulk copy on little-endian machines.
struct LittleEndianBytes {
    let buffer: UnsafeRawBufferPointer
    let range: Range<Int>

    /// The bytes as float32 values; `range.count` must be a multiple of 4.
    func floats() -> [Float] {
        let count = range.count / 4
        return [Float](unsafeUninitializedCapacity: count) { destination, initialized in
            #if _endian(little)
                if count > 0, let source = buffer.baseAddress, let target = destination.baseAddress {
                    UnsafeMutableRawPointer(target).copyMemory(from: source + range.lowerBound, byteCount: count * 4)
                }
            #else
                for index in 0..<count {
                    let bits = buffer.loadUnaligned(fromByteOffset: range.lowerBound + index * 4, as: UInt32.self)
                    destination.initializeElement(at: index, to: Float(bitPattern: UInt32(littleEndian: bits)))
                }
            #endif
            initialized = count
        }
    }

    /// The bytes as int64 values; `range.count` must be a multiple of 8.
    func int64s() -> [Int64] {
        let count = range.count / 8
        return [Int64](unsafeUninitializedCapacity: count) { destination, initialized in
            #if _endian(little)
                if count > 0, let source = buffer.baseAddress, let target = destination.baseAddress {
                    UnsafeMutableRawPointer(target).copyMemory(from: source + range.lowerBound, byteCount: count * 8)
                }
            #else
                for index in 0..<count {
                    let bits = buffer.loadUnaligned(fromByteOffset: range.lowerBound + index * 8, as: Int64.self)
                    destination.initializeElement(at: index, to: Int64(littleEndian: bits))
                }
            #endif
            initialized = count
        }
    }

    /// The bytes as int32 values widened to int64; `range.count` must be a multiple of 4.
    func int32sAsInt64s() -> [Int64] {
        (0..<(range.count / 4)).map { index in
            Int64(
                Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + index * 4, as: Int32.self)))
        }
    }
}
