import FaceStreamApp
import Testing

@Suite struct ModelLocatorTests {
    /// A locator over a fake file system holding exactly `files`.
    func locator(_ environment: [String: String], files: Set<String>) -> ModelLocator {
        ModelLocator(environment: environment, fileExists: { files.contains($0) })
    }

    @Test func explicitPathWins() throws {
        let l = locator(
            ["FACESTREAM_MODEL": "/env/m.onnx", "FACESTREAM_MODEL_DIR": "/dir"],
            files: ["/flag/m.onnx", "/env/m.onnx", "/dir/version-RFB-320.onnx"])
        #expect(try l.locate(explicit: "/flag/m.onnx") == "/flag/m.onnx")
    }

    @Test func environmentModelComesNext() throws {
        let l = locator(
            ["FACESTREAM_MODEL": "/env/m.onnx", "FACESTREAM_MODEL_DIR": "/dir"],
            files: ["/env/m.onnx", "/dir/version-RFB-320.onnx"])
        #expect(try l.locate(explicit: nil) == "/env/m.onnx")
    }

    @Test func bareFileNameIsLookedUpInModelDirectories() throws {
        let l = locator(
            ["FACESTREAM_MODEL_DIR": "/dir", "HOME": "/home/u"],
            files: ["/home/u/.local/share/facestream/models/version-slim-320.onnx"])
        #expect(
            try l.locate(explicit: "version-slim-320.onnx")
                == "/home/u/.local/share/facestream/models/version-slim-320.onnx")
    }

    @Test func defaultModelSearchOrder() throws {
        let env = ["FACESTREAM_MODEL_DIR": "/dir", "XDG_DATA_HOME": "/xdg"]
        let all: Set<String> = [
            "/dir/version-RFB-320.onnx", "/xdg/facestream/models/version-RFB-320.onnx",
            "/usr/local/share/facestream/models/version-RFB-320.onnx",
        ]
        #expect(try locator(env, files: all).locate(explicit: nil) == "/dir/version-RFB-320.onnx")
        #expect(
            try locator(env, files: all.subtracting(["/dir/version-RFB-320.onnx"])).locate(explicit: nil)
                == "/xdg/facestream/models/version-RFB-320.onnx")
        #expect(
            try locator([:], files: ["/usr/share/facestream/models/version-RFB-320.onnx"]).locate(explicit: nil)
                == "/usr/share/facestream/models/version-RFB-320.onnx")
    }

    @Test func missingModelSaysWhereItLookedAndHowToFetch() {
        let l = locator(["FACESTREAM_MODEL_DIR": "/dir", "HOME": "/home/u"], files: [])
        #expect {
            try l.locate(explicit: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("version-RFB-320.onnx") && text.contains("/dir")
                && text.contains("/home/u/.local/share/facestream/models")
                && text.contains("/usr/local/share/facestream/models") && text.contains("scripts/fetch-models")
        }
    }

    @Test func missingExplicitPathIsNotSearchedElsewhere() {
        let l = locator(["FACESTREAM_MODEL_DIR": "/dir"], files: ["/dir/m.onnx"])
        #expect(throws: ModelLocator.NotFound.self) { try l.locate(explicit: "/elsewhere/m.onnx") }
    }
}
