/// Working rows of `LinearResizer`: two horizontally resized source rows (OpenCV's ring of two) and one
/// output row. Remembers which source row each slot holds, so consecutive target rows that read the
/// same source rows (upscaling, mild downscaling) do not redo the horizontal pass.
struct LinearResizeScratch: Sendable {
    /// Horizontally resized rows, values scaled by 2048.
    private var slots: [[Int32]] = [[], []]
    /// Source row held by each slot, -1 for none.
    private var heldRows: [Int] = [-1, -1]
    /// The blended 8-bit row, `targetWidth * 3` bytes.
    private(set) var output: [UInt8] = []

    init() {}

    /// Sizes the buffers; forgets the held rows (a new picture is being resized).
    mutating func prepare(rowBytes: Int) {
        if output.count != rowBytes {
            slots = [[Int32](repeating: 0, count: rowBytes), [Int32](repeating: 0, count: rowBytes)]
            output = [UInt8](repeating: 0, count: rowBytes)
        }
        heldRows = [-1, -1]
    }

    /// Slots holding source rows `top` and `bottom` (the same slot when equal). Rows not held yet are
    /// made with `fill(row, slot)` in a slot the other row does not need.
    mutating func slots(
        top: Int, bottom: Int, fill: (_ row: Int, _ slot: UnsafeMutableBufferPointer<Int32>) -> Void
    ) -> (top: Int, bottom: Int) {
        var topSlot = heldRows.firstIndex(of: top)
        var bottomSlot = heldRows.firstIndex(of: bottom)
        if topSlot == nil {
            let free = bottomSlot == 0 ? 1 : 0
            load(top, into: free, fill)
            topSlot = free
            if bottom == top { bottomSlot = free }
        }
        if bottomSlot == nil {
            let free = topSlot == 0 ? 1 : 0
            load(bottom, into: free, fill)
            bottomSlot = free
        }
        return (topSlot!, bottomSlot!)
    }

    private mutating func load(
        _ row: Int, into slot: Int, _ fill: (_ row: Int, _ slot: UnsafeMutableBufferPointer<Int32>) -> Void
    ) {
        slots[slot].withUnsafeMutableBufferPointer { fill(row, $0) }
        heldRows[slot] = row
    }

    /// Vertical pass, as OpenCV's 8-bit linear vertical resize (also its scalar tail):
    /// `out = ((w0 * (top >> 4)) >> 16 + (w1 * (bottom >> 4)) >> 16 + 2) >> 2`, saturated to 0...255.
    mutating func blend(_ topSlot: Int, weight w0: Int32, _ bottomSlot: Int, weight w1: Int32) {
        let count = output.count
        slots[topSlot].withUnsafeBufferPointer { top in
            slots[bottomSlot].withUnsafeBufferPointer { bottom in
                output.withUnsafeMutableBufferPointer { out in
                    for index in 0..<count {
                        let value = ((w0 &* (top[index] >> 4)) >> 16) &+ ((w1 &* (bottom[index] >> 4)) >> 16) &+ 2
                        out[index] = UInt8(clamping: value >> 2)
                    }
                }
            }
        }
    }
}
