import CoreSupport

/// Runs a `CompiledModel` on one thread at a time. Owns the activation arena, the kernel
/// scratch memory and, for `threads > 1`, a pool of `threads - 1` worker threads, all created
/// once in `init`; after that, `run()`, `withInput` and `withOutput` do not allocate (the
/// `[Float]`/`[Tensor]` conveniences do, for their results).
///
/// Not thread-safe: make one session per worker thread.
public final class InferenceSession {
    /// The model this session runs.
    public let model: CompiledModel
    private let arena: UnsafeMutableRawPointer
    private let scratch: UnsafeMutablePointer<Float>
    private let pool: WorkerPool?

    init(model: CompiledModel) {
        self.model = model
        let bytes = max(model.arenaBytes, MemoryPlanner.alignment)
        arena = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryPlanner.alignment)
        arena.initializeMemory(as: Float.self, repeating: 0, count: bytes / 4)
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(model.scratchFloats, 1))
        scratch.initialize(repeating: 0, count: max(model.scratchFloats, 1))
        pool = model.options.threads > 1 ? WorkerPool(threadCount: model.options.threads) : nil
    }

    deinit {
        pool?.shutdown()
        arena.deallocate()
        scratch.deallocate()
    }

    /// Gives write access to input `index` (NCHW floats, `model.inputs[index].elementCount` of them)
    /// inside the arena, so pre-processing can write it without a copy. Traps on a bad index.
    public func withInput<R, E: Error>(at index: Int = 0, _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R)
        throws(E) -> R
    {
        precondition(model.inputs.indices.contains(index), "input index \(index) out of range")
        let start = (arena + model.inputOffsets[index]).assumingMemoryBound(to: Float.self)
        return try body(UnsafeMutableBufferPointer(start: start, count: model.inputs[index].elementCount))
    }

    /// Runs all steps on the inputs currently in the arena (see `withInput`).
    public func run() {
        pool?.wake()
        let context = ExecutionContext(arena: arena, scratch: scratch, pool: pool)
        for layer in model.layers { layer.run(context) }
    }

    /// Runs all steps like `run()` and adds each step's wall time in seconds to
    /// `seconds[step]` (`model.stepDescriptions.count` entries), for per-layer profiles.
    public func runProfiled(accumulating seconds: UnsafeMutableBufferPointer<Double>) {
        precondition(seconds.count >= model.layers.count, "need \(model.layers.count) step timings")
        pool?.wake()
        let context = ExecutionContext(arena: arena, scratch: scratch, pool: pool)
        let clock = ContinuousClock()
        for (index, layer) in model.layers.enumerated() {
            let start = clock.now
            layer.run(context)
            seconds[index] += (clock.now - start).inSeconds
        }
    }

    /// Copies `input` into the model's single input and runs. Throws `invalidInput` when the model
    /// does not have exactly one input or the element count is wrong.
    public func run(input: UnsafeBufferPointer<Float>) throws(EngineError) {
        guard model.inputs.count == 1 else {
            throw EngineError(.invalidInput, "the model has \(model.inputs.count) inputs; use withInput(at:) and run()")
        }
        let expected = model.inputs[0].elementCount
        guard input.count == expected else {
            throw EngineError(
                .invalidInput,
                "input '\(model.inputs[0].name)' needs \(expected) floats \(model.inputs[0].shape), got \(input.count)")
        }
        withInput { destination in
            if let base = input.baseAddress { destination.baseAddress!.update(from: base, count: expected) }
        }
        run()
    }

    /// Runs on `input` and returns copies of all outputs, in graph order.
    public func run(input: [Float]) throws(EngineError) -> [Tensor] {
        try input.withUnsafeBufferPointer { (buffer) throws(EngineError) in try run(input: buffer) }
        return model.outputs.indices.map { output(at: $0) }
    }

    /// Reads output `index` of the last run without copying; the buffer is valid only inside `body`
    /// and only until the next run. Traps on a bad index.
    public func withOutput<R, E: Error>(at index: Int, _ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E)
        -> R
    {
        precondition(model.outputs.indices.contains(index), "output index \(index) out of range")
        let count = model.outputs[index].elementCount
        let context = ExecutionContext(arena: arena, scratch: scratch)
        let result: Result<R, E> = model.outputSources[index].withFloats(context) { pointer in
            do throws(E) {
                return .success(try body(UnsafeBufferPointer(start: pointer, count: count)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// A copy of output `index` of the last run.
    public func output(at index: Int) -> Tensor {
        Tensor(shape: model.outputs[index].shape, floats: withOutput(at: index) { Array($0) })
    }
}
