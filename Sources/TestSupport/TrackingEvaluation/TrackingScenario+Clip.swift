import Foundation

extension TrackingScenario {
    /// Renders the scenario with the real ffmpeg into `folder/<name>.mp4` (H.264, 4:2:0) and
    /// returns its path. The background is a plain colour; each face is a looped photo cropped
    /// to its `FaceCrop` and laid over it with `overlay`, whose x and y are `start + step * n`
    /// (n: the frame number), drawn except in its hidden frames.
    public func makeClip(in folder: URL) throws -> String {
        let output = folder.appendingPathComponent("\(name).mp4").path
        let rate = Self.framesPerSecond
        let seconds = Double(frameCount) / Double(rate) + 1
        var arguments = ["-f", "lavfi", "-i", "color=c=0x5a6e7d:s=\(Self.width)x\(Self.height):r=\(rate):d=\(seconds)"]
        var graph: [String] = []
        var below = "0:v"
        for (index, face) in faces.enumerated() {
            arguments += [
                "-loop", "1", "-framerate", "\(rate)", "-i",
                SharedData.images.appendingPathComponent(face.crop.photo).path,
            ]
            let crop = face.crop
            graph.append("[\(index + 1):v]crop=\(crop.width):\(crop.height):\(crop.x):\(crop.y)[f\(index)]")
            var overlay =
                "overlay=x='\(face.start.x)+\(face.step.x)*n':y='\(face.start.y)+\(face.step.y)*n':eval=frame"
            if let hidden = face.hidden {
                overlay += ":enable='not(between(n,\(hidden.lowerBound),\(hidden.upperBound)))'"
            }
            let result = index == faces.count - 1 ? "out" : "v\(index)"
            graph.append("[\(below)][f\(index)]\(overlay)[\(result)]")
            below = result
        }
        arguments += ["-filter_complex", graph.joined(separator: ";"), "-map", "[out]", "-frames:v", "\(frameCount)"]
        arguments += [
            "-r", "\(rate)", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-threads", "1", "-pix_fmt",
            "yuv420p", output,
        ]
        try VideoFixtures.ffmpeg(arguments)
        return output
    }
}
