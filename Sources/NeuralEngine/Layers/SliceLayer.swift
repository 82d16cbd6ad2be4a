/// Opset-9 Slice (step 1): copies the selected box of the input. Axes after the last sliced one
/// are whole, so each copy is one contiguous run; an odometer walks the axes before it.
struct SliceLayer: Layer {
    let input: Operand
    let outputOffset: Int
    /// Selected range per input axis (whole axis where not sliced).
    let ranges: [Range<Int>]
    /// Input strides in bytes.
    let strides: [Int]
    /// Last axis whose range is partial (runs are contiguous from there on); -1 when none.
    let lastSlicedAxis: Int
    let runBytes: Int
    /// When every axis before `lastSlicedAxis` is whole, the runs are `outerCount` equally spaced
    /// ones (`outerStride` bytes apart, from `firstOffset`), copied in one loop without the odometer.
    let outerCount: Int?
    let outerStride: Int
    let firstOffset: Int

    /// Per-axis ranges with ONNX clamping: negative starts/ends count from the end, then both are
    /// clamped to [0, dim] (so INT64_MAX means "to the end"); an end before the start is empty.
    static func ranges(shape: [Int], starts: [Int64], ends: [Int64], axes: [Int]?, node: String) throws(EngineError)
        -> [Range<Int>]
    {
        let axes = axes ?? Array(0..<starts.count)
        guard starts.count == ends.count, axes.count == starts.count else {
            throw EngineError(
                .shapeMismatch, node: node, "Slice starts \(starts), ends \(ends) and axes \(axes) differ in length")
        }
        var ranges = shape.map { 0..<$0 }
        var seen = Set<Int>()
        for (index, axis) in axes.enumerated() {
            let normalized = try ShapeMath.axis(axis, rank: shape.count, node: node)
            guard seen.insert(normalized).inserted else {
                throw EngineError(.shapeMismatch, node: node, "Slice axes \(axes) repeat an axis")
            }
            let dimension = Int64(shape[normalized])
            func clamp(_ value: Int64) -> Int {
                let adjusted = value < 0 ? value &+ dimension : value
                return Int(min(max(adjusted, 0), dimension))
            }
            let start = clamp(starts[index])
            let end = clamp(ends[index])
            ranges[normalized] = start..<max(start, end)
        }
        return ranges
    }

    init(_ spec: LayerSpec, starts: [Int64], ends: [Int64], axes: [Int]?) throws(EngineError) {
        let shape = try spec.inputShape(0)
        let ranges = try Self.ranges(shape: shape, starts: starts, ends: ends, axes: axes, node: spec.name)
        self.ranges = ranges
        strides = ShapeMath.strides(shape).map { $0 * spec.elementType.size }
        input = try spec.input(0)
        outputOffset = spec.outputOffset
        let last = shape.indices.last { ranges[$0].count != shape[$0] } ?? -1
        lastSlicedAxis = last
        let innerStride = last >= 0 ? strides[last] : shape.reduce(1, *) * spec.elementType.size
        runBytes = last >= 0 ? ranges[last].count * innerStride : innerStride
        if last >= 0 && (0..<last).allSatisfy({ ranges[$0].count == shape[$0] }) {
            outerCount = shape[..<last].reduce(1, *)
            outerStride = shape[last] * strides[last]
            firstOffset = ranges[last].lowerBound * strides[last]
        } else {
            outerCount = nil
            outerStride = 0
            firstOffset = 0
        }
    }

    /// Short runs (the `[..., 0:2]` slices of box coordinates) are copied word by word, which
    /// is several times faster than a library call per run.
    @inline(__always)
    private static func copy(_ bytes: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        if bytes <= 32 && bytes % 4 == 0 {
            for offset in stride(from: 0, to: bytes, by: 4) {
                destination.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self), toByteOffset: offset,
                    as: UInt32.self)
            }
        } else {
            destination.copyMemory(from: source, byteCount: bytes)
        }
    }

    func run(_ context: ExecutionContext) {
        let output = context.arena + outputOffset
        input.withBytes(context) { source in
            guard lastSlicedAxis >= 0 else {
                output.copyMemory(from: source, byteCount: runBytes)
                return
            }
            guard ranges.allSatisfy({ !$0.isEmpty }) else { return }
            if let outerCount {
                var from = source + firstOffset
                var to = output
                if runBytes == 8 {
                    // Pairs of floats (the box-coordinate slices): one 8-byte move each.
                    for _ in 0..<outerCount {
                        to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                        from += outerStride
                        to += 8
                    }
                } else {
                    for _ in 0..<outerCount {
                        Self.copy(runBytes, from: from, to: to)
                        from += outerStride
                        to += runBytes
                    }
                }
                return
            }
            let axis = lastSlicedAxis
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(axis, 1)) { counters in
                for a in 0..<axis { counters[a] = ranges[a].lowerBound }
                var destination = output
                while true {
                    var offset = ranges[axis].lowerBound * strides[axis]
                    for a in 0..<axis { offset += counters[a] * strides[a] }
                    Self.copy(runBytes, from: source + offset, to: destination)
                    destination += runBytes
                    var a = axis - 1
                    while a >= 0 {
                        counters[a] += 1
                        if counters[a] < ranges[a].upperBound { break }
                        counters[a] = ranges[a].lowerBound
                        a -= 1
                    }
                    if a < 0 { return }
                }
            }
        }
    }
}
