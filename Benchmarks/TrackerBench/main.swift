import Foundation
// TrackerBench: the time `FaceTracker` takes per analysed frame with many faces (issue 11's cost
// target: under 0.05 ms for 50 faces), in a release build:
//
//   swift run -c release TrackerBench [faces] [frames]
//
// Faces move on a grid, each with its own constant velocity, at 25 frames per second; every
// frame is tracked, and the per-frame times after a warm-up are summarised. Two runs: the tracker
// alone, and the processor chain `detect --tracks` uses (tracker, then the hold-over, which keeps
// the last frame's faces, as a sink may). Each frame gets a fresh faces array, as the detector
// gives one, made before the clock starts.
//
// When a malloc-counting shim exporting `long malloc_count_get(void)` is preloaded
// (docs/performance.md), the heap allocations made inside `process` after the warm-up are counted
// (only between the two calls around it, on this one thread) and printed per frame, with the
// number of frames that had events (a frame with events may allocate for them).
import FrameProcessing
import VideoCore

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let faceCount = arguments.first ?? 50
let frameCount = arguments.dropFirst().first ?? 3000
let warmup = 100

/// `faceCount` faces of 40 px on a 10-column grid, 80 px apart, drifting by a few pixels per frame.
func faces(at frame: Int) -> [Detection] {
    (0..<faceCount).map { index in
        let x = Float(index % 10) * 80 + Float(frame) * Float(index % 3 + 1) * 0.5
        let y = Float(index / 10) * 80 + Float(frame) * Float(index % 2) * 0.4
        return Detection(
            box: BoundingBox(x1: x, y1: y, x2: x + 40, y2: y + 40), score: 0.9, classIndex: 1, label: "face")
    }
}

let counter = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_count_get").map {
    unsafeBitCast($0, to: (@convention(c) () -> Int).self)
}
let setupStart = counter?() ?? 0
let image = RGBImage(width: 1, height: 1, pixels: [0, 0, 0])
let inputs = (0..<frameCount).map { faces(at: $0) }
// The inputs take one array per frame: a counter that sees them is counting (tests check it).
if let counter { print("{\"run\":\"setup\",\"heap_allocations\":\(counter() - setupStart)}") }

/// A copy of `faces` with storage of its own.
func freshCopy(of faces: [Detection]) -> [Detection] {
    Array(unsafeUninitializedCapacity: faces.count) { buffer, count in
        count = buffer.initialize(fromContentsOf: faces)
    }
}

/// Runs every frame through `step` and prints one JSON line about the frames after the warm-up.
func measure(_ name: String, _ step: (inout FrameDetections) -> Void) {
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(frameCount)
    var allocations = 0
    var framesWithEvents = 0
    var tracked = 0
    for index in 0..<frameCount {
        // The frame holds the only reference to its faces, as when the detector made them: the
        // tracker edits that array in place (a copy of a shared one would be counted).
        var frame = FrameDetections(
            frame: VideoFrame(image: image, index: index, pts: Double(index) / 25), sequence: index,
            faces: freshCopy(of: inputs[index]))
        let before = counter?() ?? 0
        let start = clock.now
        step(&frame)
        let elapsed = clock.now - start
        let after = counter?() ?? 0
        if index >= warmup {
            samples.append(Double(elapsed.components.attoseconds) / 1e15)
            allocations += after - before
            if !frame.events.isEmpty { framesWithEvents += 1 }
        }
        tracked = frame.faces?.reduce(0) { $0 + ($1.track == nil ? 0 : 1) } ?? 0
    }
    samples.sort()
    let median = samples[samples.count / 2]
    let p99 = samples[samples.count * 99 / 100]
    var fields = [
        "\"run\":\"\(name)\"", "\"faces\":\(faceCount)", "\"frames\":\(frameCount - warmup)",
        "\"tracked_last_frame\":\(tracked)", "\"frames_with_events\":\(framesWithEvents)",
        "\"median_ms\":\(String(format: "%.4f", median))", "\"p99_ms\":\(String(format: "%.4f", p99))",
    ]
    if counter != nil {
        let perFrame = Double(allocations) / Double(frameCount - warmup)
        fields.append("\"heap_allocations_per_frame\":\(String(format: "%.2f", perFrame))")
    }
    print("{" + fields.joined(separator: ",") + "}")
}

let settings = TrackerSettings(reportThreshold: 0.7)
var tracker = FaceTracker(settings: settings)
measure("tracker") { tracker.process(&$0) }
var chain = ProcessorChain.standard(minimumFaceSize: nil, tracking: settings)
measure("chain") { chain.process(&$0) }
