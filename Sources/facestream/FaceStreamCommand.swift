import ArgumentParser

/// The `facestream` command: only subcommands live here.
@main
struct FaceStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facestream",
        abstract: "Detect faces in photos, video and camera streams with the UltraFace models.",
        subcommands: []
    )
}
