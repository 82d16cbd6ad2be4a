import ArgumentParser
import FaceStreamApp

/// `facestream devices`: lists the cameras (V4L2 capture devices) of this machine.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List cameras: node, stable path, driver, card, formats, sizes and frame rates.",
        discussion: """
            Only nodes that capture video are listed (metadata and output nodes are left out). Give a
            camera to `facestream detect` by its node (/dev/video0) or, better, its stable path
            (/dev/v4l/by-id/...), which survives replugging. A machine without cameras prints
            "no cameras found" (or an empty list with --json) and exits 0.
            """)

    @Flag(name: .long, help: "One JSON object on stdout instead of text.")
    var json = false

    func run() throws {
        print(DeviceListing.render(json: json), terminator: "")
    }
}
