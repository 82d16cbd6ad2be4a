import ArgumentParser
import FaceStreamApp
import FaceStreamDaemon
import Foundation

/// `facestream check-config FILE`: validates a daemon configuration without running it.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file: exit 0 when usable, 78 with one line per problem otherwise.",
        discussion: """
            Checks the TOML syntax, every key and value, duplicate stream names, that every model can be found and
            that every output folder exists. Sources are not opened (a camera may be plugged in later).
            """)

    @Argument(help: ArgumentHelp("The TOML configuration file.", valueName: "file"))
    var file: String

    func run() throws {
        switch ConfigurationChecker().check(path: file) {
        case .success(let configuration):
            print("\(file): OK, \(configuration.streams.count) stream\(configuration.streams.count == 1 ? "" : "s")")
        case .failure(let error):
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(FaceStreamExitCode.badConfig.rawValue)
        }
    }
}
