import Foundation
import NeuralKernels

/// `KernelBench pair [repeats]`: the pointwise -> stride-2 depthwise pairs of RFB-320, as two
/// separate convolutions and fused in bands of several sizes (median and best of `repeats`).
func pairBench(repeats: Int) {
    func geometry(_ c: Int, _ h: Int, _ w: Int, _ o: Int, k: Int, s: Int, p: Int, g: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: k, kernelWidth: k,
            strideY: s, strideX: s, dilationY: 1, dilationX: 1, padTop: p, padLeft: p, padBottom: p, padRight: p,
            groups: g)
    }
    let pairs = [(16, 32, 120, 160), (32, 32, 60, 80), (64, 64, 30, 40)]
    for (c, m, h, w) in pairs {
        let pg = geometry(c, h, w, m, k: 1, s: 1, p: 0, g: 1)
        let dg = geometry(m, h, w, m, k: 3, s: 2, p: 1, g: m)
        let pw = (0..<pg.weightCount).map { _ in Float.random(in: -0.25...0.25) }
        let dw = (0..<dg.weightCount).map { _ in Float.random(in: -0.3...0.3) }
        let pb = (0..<m).map { _ in Float.random(in: -1...1) }
        let db = (0..<m).map { _ in Float.random(in: -1...1) }
        let first = Convolution2D(geometry: pg, weights: pw, bias: pb, activation: .relu)
        let second = Convolution2D(geometry: dg, weights: dw, bias: db, activation: .relu)
        let input = UnsafeMutablePointer<Float>.allocate(capacity: pg.inputCount)
        for i in 0..<pg.inputCount { input[i] = Float.random(in: -1...1) }
        let middle = UnsafeMutablePointer<Float>.allocate(capacity: pg.outputCount)
        let output = UnsafeMutablePointer<Float>.allocate(capacity: dg.outputCount)
        let fusedOutput = UnsafeMutablePointer<Float>.allocate(capacity: dg.outputCount)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4_000_000)
        // Interleaved: every repeat times each candidate once, so they share the machine's load.
        var candidates: [(String, () -> Void)] = [
            ("pointwise", { first.run(input: input, output: middle, scratch: scratch) }),
            ("depthwise", { second.run(input: middle, output: output, scratch: scratch) }),
            (
                "pair (both)",
                {
                    first.run(input: input, output: middle, scratch: scratch)
                    second.run(input: middle, output: output, scratch: scratch)
                }
            ),
        ]
        var fusedKernels: [PointwiseDepthwiseConvolution] = []
        for target in [16_384, 32_768, 65_536, 131_072, 262_144] {
            let fused = PointwiseDepthwiseConvolution(
                pointwise: pg, pointwiseWeights: pw, pointwiseBias: pb, pointwiseActivation: .relu, depthwise: dg,
                depthwiseWeights: dw, depthwiseBias: db, depthwiseActivation: .relu, bandTarget: target)
            fusedKernels.append(fused)
            candidates.append(
                (
                    "fused, band \(fused.bandRows) rows (\(fused.scratchCount / 256) KiB)",
                    { fused.run(input: input, output: fusedOutput, scratch: scratch) }
                ))
        }
        var times = [[Double]](repeating: [], count: candidates.count)
        for _ in 0..<repeats {
            for (index, candidate) in candidates.enumerated() { times[index].append(seconds(candidate.1)) }
        }
        print("\(c) -> \(m) at \(h)x\(w), ms (median, best of \(repeats), interleaved)")
        for (index, candidate) in candidates.enumerated() {
            print(
                String(
                    format: "    %-34@ %.4f  %.4f", candidate.0, median(times[index]) * 1e3,
                    times[index].min()! * 1e3))
        }
        var worst: Float = 0
        for i in 0..<dg.outputCount { worst = max(worst, abs(fusedOutput[i] - output[i])) }
        print("    max |fused - pair| = \(worst)")
    }
}
