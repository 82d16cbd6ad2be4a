import Foundation
import V4L2Capture

/// `facestream devices`: the cameras of this machine, as text for people or JSON for programs.
public enum DeviceListing {
    /// Scans `/dev` (or `devDirectory`) and renders the result. No cameras is not an error.
    public static func render(json: Bool, devDirectory: String = "/dev") -> String {
        let listing = V4L2Discovery.scan(devDirectory: devDirectory)
        return json ? renderJSON(listing) : renderText(listing)
    }

    /// One JSON object: `{"cameras": [...], "problems": [...]}` with snake_case keys, one line.
    static func renderJSON(_ listing: V4L2Discovery.Listing) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(listing)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Indented text: one block per camera, one line per format and size.
    static func renderText(_ listing: V4L2Discovery.Listing) -> String {
        var lines: [String] = []
        if listing.cameras.isEmpty { lines.append("no cameras found") }
        for camera in listing.cameras {
            lines.append("\(camera.node): \(camera.card) (driver \(camera.driver), \(camera.busInfo))")
            for path in camera.stablePaths { lines.append("  stable path: \(path)") }
            for format in camera.formats {
                let note = format.supported ? "" : " [not supported by facestream]"
                lines.append(
                    "  \(format.pixelFormat.trimmingCharacters(in: .whitespaces)) (\(format.description))\(note)")
                if format.sizeRange, format.sizes.count == 2 {
                    lines.append("    any size from \(sizeText(format.sizes[0])) to \(sizeText(format.sizes[1]))")
                } else {
                    for size in format.sizes { lines.append("    \(sizeText(size))") }
                }
            }
        }
        for problem in listing.problems { lines.append("\(problem.node): skipped: \(problem.reason)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func sizeText(_ size: CameraDescription.Size) -> String {
        let rates = size.framesPerSecond.map { $0.formatted(.number.precision(.fractionLength(0...3))) }
        return "\(size.width)x\(size.height)" + (rates.isEmpty ? "" : " @ " + rates.joined(separator: ", ") + " fps")
    }
}
