// Convolution kernel benchmark (not a test): every convolution of UltraFace RFB-320 with random
// weights, fast kernel vs the naive reference, single thread, then the network's convolutions split
// over 2 threads. Run in release: `swift run -c release KernelBench [repeats]`.
import Dispatch
import Foundation
import NeuralKernels
import TestSupport

/// (C, H, W) -> O, kernel, stride, pad, dilation, groups: the 50 convolutions of version-RFB-320.
let layers: [ConvolutionGeometry] = {
    func conv(_ c: Int, _ h: Int, _ w: Int, _ o: Int, k: Int = 1, s: Int = 1, p: Int = 0, d: Int = 1, g: Int = 1)
        -> ConvolutionGeometry
    {
        ConvolutionGeometry(
            inputChannels: c, inputHeight: h, inputWidth: w, outputChannels: o, kernelHeight: k, kernelWidth: k,
            strideY: s, strideX: s, dilationY: d, dilationX: d, padTop: p, padLeft: p, padBottom: p, padRight: p,
            groups: g)
    }
    func dw(_ c: Int, _ h: Int, _ w: Int, s: Int = 1) -> ConvolutionGeometry {
        conv(c, h, w, c, k: 3, s: s, p: 1, g: c)
    }
    var l = [
        conv(3, 240, 320, 16, k: 3, s: 2, p: 1), dw(16, 120, 160), conv(16, 120, 160, 32), dw(32, 120, 160, s: 2),
        conv(32, 60, 80, 32), dw(32, 60, 80), conv(32, 60, 80, 32), dw(32, 60, 80, s: 2), conv(32, 30, 40, 64),
        dw(64, 30, 40), conv(64, 30, 40, 64), dw(64, 30, 40), conv(64, 30, 40, 64),
    ]
    for (mid, dilation) in [(16, 2), (16, 3)] {
        l += [
            conv(64, 30, 40, 8), conv(8, 30, 40, mid, k: 3, p: 1),
            conv(mid, 30, 40, 16, k: 3, p: dilation, d: dilation),
        ]
    }
    l += [
        conv(64, 30, 40, 8), conv(8, 30, 40, 12, k: 3, p: 1), conv(12, 30, 40, 16, k: 3, p: 1),
        conv(16, 30, 40, 16, k: 3, p: 5, d: 5), conv(48, 30, 40, 64), conv(64, 30, 40, 64),
        dw(64, 30, 40), conv(64, 30, 40, 6), dw(64, 30, 40), conv(64, 30, 40, 12), dw(64, 30, 40, s: 2),
        conv(64, 15, 20, 128), dw(128, 15, 20), conv(128, 15, 20, 128), dw(128, 15, 20), conv(128, 15, 20, 128),
        dw(128, 15, 20), conv(128, 15, 20, 4), dw(128, 15, 20), conv(128, 15, 20, 8), dw(128, 15, 20, s: 2),
        conv(128, 8, 10, 256), dw(256, 8, 10), conv(256, 8, 10, 256), dw(256, 8, 10), conv(256, 8, 10, 4),
        dw(256, 8, 10), conv(256, 8, 10, 8), conv(256, 8, 10, 64), dw(64, 8, 10, s: 2), conv(64, 4, 5, 256),
        conv(256, 4, 5, 6, k: 3, p: 1), conv(256, 4, 5, 12, k: 3, p: 1),
    ]
    return l
}()

/// One layer's buffers. `@unchecked Sendable`: parallel parts write disjoint output channels and
/// each uses its own scratch buffer; the buffers live until the process exits.
struct Prepared: @unchecked Sendable {
    let convolution: Convolution2D
    let input: UnsafeMutableBufferPointer<Float>
    let output: UnsafeMutableBufferPointer<Float>
    let scratch: [UnsafeMutableBufferPointer<Float>]

    init(_ g: ConvolutionGeometry, threads: Int = 2) {
        var rng = SystemRandomNumberGenerator()
        // Weights scaled by 1/sqrt(taps) so chained layers keep values of order 1.
        let scale = 1 / Float(g.inputChannelsPerGroup * g.kernelHeight * g.kernelWidth).squareRoot()
        convolution = Convolution2D(
            geometry: g, weights: (0..<g.weightCount).map { _ in scale * Float.random(in: -1...1, using: &rng) },
            bias: (0..<g.outputChannels).map { _ in Float.random(in: -1...1, using: &rng) }, activation: .relu)
        input = .allocate(capacity: g.inputCount)
        for i in input.indices { input[i] = Float.random(in: -1...1, using: &rng) }
        output = .allocate(capacity: g.outputCount)
        let scratchCount = max(1, convolution.scratchCount)
        scratch = (0..<threads).map { _ in .allocate(capacity: scratchCount) }
    }

    func run() {
        convolution.run(input: input.baseAddress!, output: output.baseAddress!, scratch: scratch[0].baseAddress!)
    }

    func runParallel(parts: [Range<Int>]) {
        DispatchQueue.concurrentPerform(iterations: parts.count) { part in
            convolution.run(
                input: input.baseAddress!, output: output.baseAddress!, scratch: scratch[part].baseAddress!,
                outputChannels: parts[part])
        }
    }
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let repeats = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 21 : 21
// `KernelBench REPEATS LAYER`: that layer alone, REPEATS times, for a profiler (`perf record`).
if CommandLine.arguments.count > 2, let only = Int(CommandLine.arguments[2]), layers.indices.contains(only) {
    let layer = Prepared(layers[only])
    let time = seconds { for _ in 0..<repeats { layer.run() } }
    print(String(format: "layer %d: %.4f ms per run over %d runs", only, time * 1e3 / Double(repeats), repeats))
    exit(0)
}
let prepared = layers.map { Prepared($0) }
print("KernelBench: \(layers.count) convolutions of RFB-320, release build, median of \(repeats) runs, 1 thread")
print(
    "layer  strategy      geometry                                                        MFLOP  fast ms  GFLOP/s  naive GFLOP/s  speed-up  best GFLOP/s"
)
var seen: [ConvolutionGeometry: (Double, Double)] = [:]
var totalFast = 0.0
var totalFlops = 0.0
var totalMin = 0.0
for (index, layer) in prepared.enumerated() {
    let g = layer.convolution.geometry
    let flops = 2 * Double(g.multiplyAdds)
    layer.run()
    let times = (0..<repeats).map { _ in seconds { layer.run() } }
    let fast = median(times)
    totalMin += times.min()!
    totalFast += fast
    totalFlops += flops
    let naive: Double
    if let known = seen[g] {
        naive = known.1
    } else {
        let x = Array(layer.input)
        let w = (0..<g.weightCount).map { Float($0 % 7) - 3 }
        naive = seconds { _ = referenceConvolution(geometry: g, input: x, weights: w, bias: nil, activation: .relu) }
        seen[g] = (fast, naive)
    }
    let name = "\(layer.convolution.strategy)".padding(toLength: 13, withPad: " ", startingAt: 0)
    print(
        String(
            format: "%5d  %@ %@ %7.2f %8.3f %8.1f %14.2f %9.0fx %13.1f", index, name,
            g.description.padding(toLength: 62, withPad: " ", startingAt: 0), flops / 1e6, fast * 1e3,
            flops / fast / 1e9, flops / naive / 1e9, naive / fast, flops / times.min()! / 1e9))
}
print(
    String(
        format:
            "all convolutions, 1 thread, sum of per-layer medians (warm caches): %.1f MFLOP in %.3f ms = %.1f GFLOP/s (sum of best runs %.3f ms)",
        totalFlops / 1e6, totalFast * 1e3, totalFlops / totalFast / 1e9, totalMin * 1e3))

let partitions = prepared.map { $0.convolution.outputChannelPartition(parts: 2) }
let network2 = median(
    (0..<repeats).map { _ in
        seconds { for (layer, parts) in zip(prepared, partitions) { layer.runParallel(parts: parts) } }
    })
let network1 = median((0..<repeats).map { _ in seconds { for layer in prepared { layer.run() } } })
print(
    String(
        format:
            "whole network, every layer in its own buffers (~16 MB, cold caches): 1 thread %.3f ms, 2 threads (split by output channels) %.3f ms",
        network1 * 1e3, network2 * 1e3))

// As an engine runs it: two ping-pong buffers, each layer reads what the previous one wrote.
let largest = layers.map { max($0.inputCount, $0.outputCount) }.max()!
let ping = UnsafeMutablePointer<Float>.allocate(capacity: largest)
let pong = UnsafeMutablePointer<Float>.allocate(capacity: largest)
ping.initialize(repeating: 0.5, count: largest)
pong.initialize(repeating: 0.5, count: largest)
let arenaScratch = UnsafeMutablePointer<Float>.allocate(
    capacity: max(1, prepared.map { $0.convolution.scratchCount }.max()!))
let arena = median(
    (0..<repeats).map { _ in
        seconds {
            for (index, layer) in prepared.enumerated() {
                let (source, destination) = index % 2 == 0 ? (ping, pong) : (pong, ping)
                layer.convolution.run(input: source, output: destination, scratch: arenaScratch)
            }
        }
    })
print(String(format: "whole network, two ping-pong buffers as in an engine: 1 thread %.3f ms", arena * 1e3))
