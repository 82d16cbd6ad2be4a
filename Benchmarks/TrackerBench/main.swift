import Foundation
// TrackerBench: the time `FaceTracker` takes per analysed frame with many faces (issue 11's cost
// target: under 0.05 ms for 50 faces), in a release build:
//
//   swift run -c release TrackerBench [faces] [frames]
//
// Faces move on a grid, each with its own constant velocity, at 25 frames per second; every
// frame is tracked, and the per-frame times after a warm-up are summarised. When a malloc-counting
// shim exporting `long malloc_count_get(void)` is preloaded (docs/performance.md), heap
// allocations per frame are printed too.
import FrameProcessing
import VideoCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let faceCount = arguments.first ?? 50
let frameCount = arguments.dropFirst().first ?? 3000
let warmup = 100

/// 50 faces of 40 px on a 10-column grid, 80 px apart, drifting by a few pixels per frame.
func faces(at frame: Int) -> [Detection] {
    (0..<faceCount).map { index in
        let x = Float(index % 10) * 80 + Float(frame) * Float(index % 3 + 1) * 0.5
        let y = Float(index / 10) * 80 + Float(frame) * Float(index % 2) * 0.4
        return Detection(
            box: BoundingBox(x1: x, y1: y, x2: x + 40, y2: y + 40), score: 0.9, classIndex: 1, label: "face")
    }
}

let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
let inputs = (0..<frameCount).map { faces(at: $0) }
var tracker = FaceTracker(settings: TrackerSettings(reportThreshold: 0.7))
let clock = ContinuousClock()
var samples: [Double] = []
samples.reserveCapacity(frameCount)
let counter = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_count_get").map {
    unsafeBitCast($0, to: (@convention(c) () -> Int).self)
}
var allocationsBefore = 0
var tracked = 0
for index in 0..<frameCount {
    if index == warmup, let counter { allocationsBefore = counter() }
    var frame = FrameDetections(
        frame: VideoFrame(image: image, index: index, pts: Double(index) / 25), sequence: index, faces: inputs[index])
    let start = clock.now
    tracker.process(&frame)
    let elapsed = clock.now - start
    if index >= warmup { samples.append(Double(elapsed.components.attoseconds) / 1e15) }
    tracked = frame.faces?.filter { $0.track != nil }.count ?? 0
}
samples.sort()
let median = samples[samples.count / 2]
let p99 = samples[samples.count * 99 / 100]
var fields = [
    "\"faces\":\(faceCount)", "\"frames\":\(frameCount - warmup)", "\"tracked_last_frame\":\(tracked)",
    "\"median_ms\":\(String(format: "%.4f", median))", "\"p99_ms\":\(String(format: "%.4f", p99))",
]
if let counter {
    let perFrame = Double(counter() - allocationsBefore) / Double(frameCount - warmup)
    fields.append("\"heap_allocations_per_frame\":\(String(format: "%.1f", perFrame))")
}
print("{" + fields.joined(separator: ",") + "}")
