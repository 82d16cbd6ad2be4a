import DetectionSinks
import Foundation
import Testing
import VideoCore

@Suite struct JSONLinesSinkTests {
    static func frame(
        _ index: Int, faces: [Detection]?, receivedAt: Date? = nil, pixels: FramePixels? = nil
    ) -> FrameDetections {
        let image = RGBImage(width: 4, height: 2, pixels: [UInt8](repeating: 9, count: 24))
        return FrameDetections(
            frame: VideoFrame(
                pixels: pixels ?? .rgb(image), index: index, pts: Double(index) / 10, receivedAt: receivedAt),
            sequence: index, faces: faces)
    }

    static let face = Detection(
        box: BoundingBox(x1: 1, y1: 2, x2: 3.5, y2: 4), score: 0.875, classIndex: 1, label: "face")

    /// Runs `frames` through a sink writing to a temporary file and returns the lines.
    static func lines(onlyFaces: Bool, _ frames: [FrameDetections]) throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = JSONLinesSink(
            writer: try JSONLinesWriter.file(atPath: path), source: "cam.mp4", model: "version-RFB-320",
            onlyFaces: onlyFaces)
        #expect(!sink.needsPixels)
        for frame in frames { try sink.write(frame) }
        try sink.finish()
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func oneLinePerAnalysedFrameInSchemaV1() throws {
        let lines = try Self.lines(
            onlyFaces: false, [Self.frame(0, faces: [Self.face]), Self.frame(1, faces: nil), Self.frame(2, faces: [])])
        #expect(
            lines == [
                #"{"v":1,"source":"cam.mp4","frame":0,"pts":0,"width":4,"height":2,"model":"version-RFB-320","faces":[{"box":[1,2,3.5,4],"score":0.875,"label":"face"}]}"#,
                #"{"v":1,"source":"cam.mp4","frame":2,"pts":0.2,"width":4,"height":2,"model":"version-RFB-320","faces":[]}"#,
            ])
    }

    @Test func onlyFacesSkipsAnalysedFramesWithoutAFace() throws {
        let lines = try Self.lines(
            onlyFaces: true, [Self.frame(0, faces: []), Self.frame(1, faces: [Self.face]), Self.frame(2, faces: nil)])
        #expect(lines.count == 1)
        #expect(lines[0].contains(#""frame":1,"#))
    }

    @Test func liveFramesCarryTheirArrivalTimeAndSampledFramesTheirWholeSize() throws {
        let grid = SampleGrid(width: 640, height: 480, rows: [0, 479], columns: [0, 639])
        let sampled = SampledPicture(
            grid: grid, pixels: RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12)))
        let lines = try Self.lines(
            onlyFaces: false,
            [
                Self.frame(
                    3, faces: [], receivedAt: Date(timeIntervalSince1970: 1_764_387_208.4869), pixels: .sampled(sampled)
                )
            ])
        #expect(lines.first?.contains(#""ts":"2025-11-29T03:33:28.486Z","width":640,"height":480"#) == true)
    }

    @Test func aWriteFailureIsAnOutputFailureNamingTheDestination() throws {
        let writer = try JSONLinesWriter.file(atPath: "/dev/full")
        let sink = JSONLinesSink(writer: writer, source: "x", model: "m")
        #expect {
            try sink.write(Self.frame(0, faces: []))
        } throws: { error in
            (error as? OutputFailure)?.description.contains("/dev/full") == true
        }
    }
}
