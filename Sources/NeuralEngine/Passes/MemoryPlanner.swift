/// Pass 7: gives every run-time value a byte offset in one arena, computed once per model.
///
/// Each storage (a value and its aliases) lives from the step that writes it (graph inputs: before
/// the first step) to the last step that reads it (graph outputs: past the last step). Storages are
/// placed largest first at the lowest offset that does not overlap, in address and in lifetime, any
/// storage already placed (greedy best-offset). Offsets are 64-byte aligned. Values in `byteValues`
/// take one byte per element, all others four.
struct MemoryPlanner {
    struct Storage {
        var name: String
        var bytes: Int
        var first: Int
        var last: Int
        var offset = 0
    }

    static let alignment = 64

    /// Byte offset of each storage root, and the arena size.
    static func plan(
        steps: [CompilationState.Node], inputs: [String], outputs: [String], roots: [String: String],
        constants: [String: Tensor], shapes: [String: [Int]], byteValues: Set<String> = [], limit: Int
    ) throws(EngineError) -> (offsets: [String: Int], arenaBytes: Int, unplannedBytes: Int) {
        var storages: [String: Storage] = [:]
        func root(_ name: String) -> String { roots[name] ?? name }
        func touch(_ name: String, at step: Int) {
            guard !name.isEmpty, constants[name] == nil else { return }
            let key = root(name)
            if var storage = storages[key] {
                storage.first = min(storage.first, step)
                storage.last = max(storage.last, step)
                storages[key] = storage
            } else {
                let count = shapes[key]?.reduce(1, *) ?? 0
                let element = byteValues.contains(key) ? 1 : 4
                let bytes = (count * element + alignment - 1) / alignment * alignment
                storages[key] = Storage(name: key, bytes: bytes, first: step, last: step)
            }
        }
        for input in inputs { touch(input, at: -1) }
        for (index, step) in steps.enumerated() {
            for value in step.inputs { touch(value, at: index) }
            for value in step.outputs { touch(value, at: index) }
        }
        for output in outputs { touch(output, at: steps.count) }

        let order = storages.values.sorted { ($0.bytes, $1.first, $1.name) > ($1.bytes, $0.first, $0.name) }
        var placed: [Storage] = []
        var arenaBytes = 0
        var unplanned = 0
        for var storage in order {
            let conflicts = placed.filter { $0.first <= storage.last && storage.first <= $0.last }.sorted {
                $0.offset < $1.offset
            }
            var offset = 0
            for other in conflicts {
                if offset + storage.bytes <= other.offset { break }
                offset = max(offset, other.offset + other.bytes)
            }
            storage.offset = offset
            arenaBytes = max(arenaBytes, offset + storage.bytes)
            unplanned += storage.bytes
            guard arenaBytes <= limit else {
                throw EngineError(.tooLarge, "the activation arena would need more than \(limit) bytes")
            }
            placed.append(storage)
        }
        var offsets: [String: Int] = [:]
        for storage in placed { offsets[storage.name] = storage.offset }
        return (offsets, arenaBytes, unplanned)
    }
}
