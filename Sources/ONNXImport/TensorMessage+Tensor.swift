import NeuralEngine

/// Conversion of a parsed `TensorProto` to an engine `Tensor`.
extension TensorMessage {
    /// Names of `TensorProto.DataType` values, for errors.
    static func dataTypeName(_ type: Int32) -> String {
        let names = [
            "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
            "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16",
        ]
        return type >= 0 && Int(type) < names.count ? names[Int(type)] : "type \(type)"
    }

    /// Builds the tensor, copying `raw_data` from `buffer` in one go.
    ///
    /// - Parameter role: what the tensor is, for errors: e.g. "initializer 'conv.weight'".
    /// - Throws: `externalData`, `unsupportedDataType`, or `malformed` when the element count does
    ///   not match the dimensions.
    func makeTensor(buffer: UnsafeRawBufferPointer, role: String) throws(ONNXImportError) -> Tensor {
        guard !isExternal else {
            throw ONNXImportError(
                .externalData, "\(role): external tensor data is not supported", byteOffset: byteOffset,
                hint:
                    "save the model with its tensors inside the .onnx file (onnx.save(..., save_as_external_data=False))"
            )
        }
        guard !isSegmented else {
            throw ONNXImportError(
                .unsupportedDataType, "\(role): segmented tensors are not supported", byteOffset: byteOffset)
        }
        let shape = try checkedShape(role: role)
        let count = shape.reduce(1, *)
        switch dataType {
        case 1:
            if let rawData {
                try expectCount(count, rawData.count, bytesPerElement: 4, role: role)
                return Tensor(shape: shape, floats: LittleEndianBytes(buffer: buffer, range: rawData).floats())
            }
            try expectCount(count, floatData.count, bytesPerElement: nil, role: role)
            return Tensor(shape: shape, floats: floatData)
        case 7:
            if let rawData {
                try expectCount(count, rawData.count, bytesPerElement: 8, role: role)
                return Tensor(shape: shape, int64s: LittleEndianBytes(buffer: buffer, range: rawData).int64s())
            }
            try expectCount(count, int64Data.count, bytesPerElement: nil, role: role)
            return Tensor(shape: shape, int64s: int64Data)
        case 6:
            // int32 is widened to int64: the engine uses integers only for shapes and indices.
            if let rawData {
                try expectCount(count, rawData.count, bytesPerElement: 4, role: role)
                return Tensor(shape: shape, int64s: LittleEndianBytes(buffer: buffer, range: rawData).int32sAsInt64s())
            }
            try expectCount(count, int32Data.count, bytesPerElement: nil, role: role)
            guard int32Data.allSatisfy({ Int32(exactly: $0) != nil }) else {
                throw ONNXImportError(.malformed, "\(role): int32_data value out of range", byteOffset: byteOffset)
            }
            return Tensor(shape: shape, int64s: int32Data)
        default:
            throw ONNXImportError(
                .unsupportedDataType,
                "\(role): element type \(Self.dataTypeName(dataType)) is not supported (only FLOAT, INT64, INT32)",
                byteOffset: byteOffset)
        }
    }

    /// The dimensions as `Int`s, checked to be non-negative with a product that does not overflow.
    private func checkedShape(role: String) throws(ONNXImportError) -> [Int] {
        var product = 1
        var shape: [Int] = []
        shape.reserveCapacity(dims.count)
        for dim in dims {
            guard dim >= 0, let size = Int(exactly: dim) else {
                throw ONNXImportError(
                    .malformed, "\(role): invalid dimension \(dim) in \(dims)", byteOffset: byteOffset)
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw ONNXImportError(.malformed, "\(role): dimensions \(dims) overflow", byteOffset: byteOffset)
            }
            product = next
            shape.append(size)
        }
        return shape
    }

    /// Throws unless the data holds exactly `count` elements (`available` is bytes when
    /// `bytesPerElement` is given, else elements).
    private func expectCount(
        _ count: Int, _ available: Int, bytesPerElement: Int?, role: String
    ) throws(ONNXImportError) {
        let elements = bytesPerElement.map { available / $0 } ?? available
        let exact = bytesPerElement.map { available % $0 == 0 } ?? true
        guard exact, elements == count else {
            let unit = bytesPerElement == nil ? "\(available) values" : "\(available) bytes of raw_data"
            throw ONNXImportError(
                .malformed, "\(role): dimensions \(dims) need \(count) elements but the tensor has \(unit)",
                byteOffset: byteOffset)
        }
    }
}
