import ArgumentParser
import FaceStreamApp
import FaceStreamDaemon
import Foundation

/// `facestream run --config FILE`: the daemon.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the streams of a configuration file (the daemon; see systemd/facestream.service).",
        discussion: """
            Each [[stream]] of the TOML file runs the video pipeline on its own threads and appends JSON lines to
            its output; live sources are reopened forever. SIGTERM/SIGINT stop gracefully (frames already read
            are written) and exit 0; SIGHUP reloads the file (unchanged streams keep running, an invalid file is
            reported and ignored) and reopens the output files. Under systemd (Type=notify) it reports READY=1,
            STATUS=, WATCHDOG=1 and STOPPING=1. Exit status 78 for a bad configuration.
            """)

    @Option(name: .long, help: ArgumentHelp("The TOML configuration file.", valueName: "file"))
    var config: String

    func run() throws {
        Logging.bootstrap()
        ProcessDefaults.apply()
        let status = Daemon(configurationPath: config).runBlocking()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
