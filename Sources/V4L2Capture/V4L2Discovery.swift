import Foundation

/// Finds the video capture devices of this machine: `/dev/video*` nodes that can stream video
/// (metadata and output nodes are left out), with their stable udev links.
public enum V4L2Discovery {
    /// A node that exists but could not be examined (permission denied, busy...).
    public struct Problem: Sendable, Equatable, Codable {
        /// The device node.
        public var node: String
        /// Why it was skipped.
        public var reason: String

        public init(node: String, reason: String) {
            self.node = node
            self.reason = reason
        }
    }

    /// The result of a scan: cameras, and nodes that could not be opened.
    public struct Listing: Sendable, Equatable, Codable {
        public var cameras: [CameraDescription]
        public var problems: [Problem]

        public init(cameras: [CameraDescription], problems: [Problem]) {
            self.cameras = cameras
            self.problems = problems
        }
    }

    /// Scans `devDirectory` (default `/dev`). A machine without cameras gives an empty listing,
    /// not an error. Opens each node briefly (never streams), so it works while others capture.
    public static func scan(devDirectory: String = "/dev") -> Listing {
        let links = stableLinks(devDirectory: devDirectory)
        var listing = Listing(cameras: [], problems: [])
        for node in videoNodes(devDirectory: devDirectory) {
            do {
                let handle = try DeviceHandle(path: node)
                let capabilities = try handle.capabilities()
                guard capabilities.canCaptureByStreaming else { continue }
                let formats = try handle.nativeFormats().map { entry in
                    let (sizes, isRange) = handle.sizes(of: entry.format)
                    return CameraDescription.Format(
                        pixelFormat: entry.format.name, description: entry.description,
                        compressed: entry.compressed, supported: entry.format.isConvertible, sizes: sizes,
                        sizeRange: isRange)
                }
                listing.cameras.append(
                    CameraDescription(
                        node: node, stablePaths: links[node] ?? [], driver: capabilities.driver,
                        card: capabilities.card, busInfo: capabilities.busInfo, formats: formats))
            } catch {
                if error.kind == .notACamera { continue }
                listing.problems.append(Problem(node: node, reason: error.description))
            }
        }
        return listing
    }

    /// `videoN` nodes under `devDirectory`, in numeric order.
    static func videoNodes(devDirectory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: devDirectory)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("video"), let number = Int(name.dropFirst(5)) else { return nil }
            return (number, devDirectory + "/" + name)
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }

    /// Node path -> its `/dev/v4l/by-id` links, then its `/dev/v4l/by-path` links (sorted).
    static func stableLinks(devDirectory: String) -> [String: [String]] {
        var links: [String: [String]] = [:]
        for folder in ["by-id", "by-path"] {
            let directory = devDirectory + "/v4l/" + folder
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            for name in names {
                let link = directory + "/" + name
                guard let target = realPath(link) else { continue }
                links[target, default: []].append(link)
            }
        }
        return links
    }

    /// The canonical path of `path` (symlinks resolved), nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
