import ArgumentParser
import FaceStreamApp
import Foundation

/// `facestream models`: the known UltraFace models, where they are installed, and their SHA-256.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, verify and install the UltraFace models.",
        discussion: """
            Lists every model FaceStream knows with its input size, whether its SHA-256 is the pinned one,
            and where it was found in the models directories ($FACESTREAM_MODEL_DIR,
            $XDG_DATA_HOME/facestream/models or ~/.local/share/facestream/models,
            /usr/local/share/facestream/models, /usr/share/facestream/models).
            """,
        subcommands: [List.self, Verify.self, Install.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the known models (the default).")

        func run() throws {
            print(ModelInventory().listing())
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the SHA-256 of every installed model.",
            discussion:
                "Exit status 0 when every installed model is intact, 65 when one is not, 66 when none is installed.")

        func run() throws {
            Logging.bootstrap()
            let found = ModelInventory().items(loading: false).filter { $0.path != nil }
            for item in found {
                print("\(item.verified ? "ok      " : "MISMATCH") \(item.path!)")
            }
            if found.isEmpty {
                FileHandle.standardError.write(
                    Data("facestream: error: no model installed; \(ModelLocator.fetchHint)\n".utf8))
                throw ExitCode(FaceStreamExitCode.missingInput.rawValue)
            }
            if found.contains(where: { !$0.verified }) {
                FileHandle.standardError.write(
                    Data(
                        "facestream: error: a model differs from its pinned SHA-256 (damaged or replaced); install it again with `facestream models install --from DIR`\n"
                            .utf8))
                throw ExitCode(FaceStreamExitCode.badModel.rawValue)
            }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the models of a folder whose SHA-256 is the pinned one into the models directory.")

        @Option(name: .long, help: ArgumentHelp("Folder holding the .onnx files.", valueName: "dir"))
        var from: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Where to install (default: $XDG_DATA_HOME/facestream/models or ~/.local/share/facestream/models).",
                valueName: "dir"))
        var dest: String?

        func run() throws {
            guard let destination = dest ?? ModelLocator().userModelDirectory else {
                throw ValidationError("neither $XDG_DATA_HOME nor $HOME is set: give --dest")
            }
            let result: ModelInventory.Installation
            do {
                result = try ModelInventory().install(from: from, to: destination)
            } catch {
                FileHandle.standardError.write(Data("facestream: error: \(error.message)\n".utf8))
                throw ExitCode(error.exitCode.rawValue)
            }
            for name in result.installed { print("installed \(destination)/\(name)") }
            for name in result.refused {
                FileHandle.standardError.write(
                    Data(
                        "facestream: error: \(from)/\(name): SHA-256 differs from the pinned one; not installed\n".utf8)
                )
            }
            if result.installed.isEmpty && result.refused.isEmpty {
                FileHandle.standardError.write(Data("facestream: error: \(from) holds no known model file\n".utf8))
                throw ExitCode(FaceStreamExitCode.missingInput.rawValue)
            }
            if !result.refused.isEmpty { throw ExitCode(FaceStreamExitCode.badModel.rawValue) }
        }
    }
}
