import Foundation
import TestSupport
import Testing

@testable import FaceStreamDaemon

/// Configurations a hostile or careless operator could write: each is one clear problem (exit 78),
/// never a crash, and a running daemon keeps its configuration when given one on SIGHUP.
@Suite struct HostileConfigurationTests {
    private func problems(_ text: String) -> [ConfigurationProblem] {
        DaemonTestValues.problems(text, file: "hostile.toml")
    }

    /// 150,000 dotted key parts overflowed the TOML parser's stack (SIGSEGV) before the limits.
    @Test func aKeyWithThousandsOfDotsIsRefusedBeforeTheParser() {
        let text = Array(repeating: "a", count: 150_000).joined(separator: ".") + " = 1\n"
        let found = problems(text)
        #expect(found.count >= 1)
        #expect(found.contains { $0.message.contains("more than 8 parts") || $0.message.contains("line of") })
    }

    /// Found by `scripts/fuzz config`: a table header whose name starts with `{` (or any byte that
    /// is neither a bare-key character nor a quote) hit an assertion in TOMLKit's parser, which
    /// aborted `check-config` and would have aborted a reloading daemon (SIGABRT, release builds too).
    @Test func aTableHeaderWithoutANameIsAProblemNotAnAbort() {
        let fuzzed: [UInt8] =
            Array("threads = 1\n[{str".utf8) + [0x11, 0, 0, 0] + Array("]\nname = \"x\"xtra]\nkey = 1\n".utf8)
        let headers = [
            String(decoding: fuzzed, as: UTF8.self), "[{a]\n", "[ {a]\n", "[[{a]]\n", "[[ =a]]\n", "x = 1\n[\u{11}]\n",
            "[[[a]]]\n",
        ]
        for text in headers {
            let found = problems(text)
            #expect(
                found.contains { $0.message == "a table header that does not start with a name" },
                "\(text.debugDescription): \(found)")
        }
        // Headers the parser itself refuses, and good ones, are not this problem.
        for text in [
            "[]\n", "[ [a]]\n", "[\"quoted\"]\n", "[ 'a' ]\n", "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n",
        ] {
            #expect(!problems(text).contains { $0.message.contains("does not start with a name") }, "\(text)")
        }
        let array = "x = [\n[{a = 1}],\n]\n"  // `[{` inside a value is an array, not a header
        #expect(ConfigurationLimits.problems(in: array, file: "a.toml").isEmpty)
    }

    /// Found by `scripts/fuzz config`: a malformed time after a date (`1979-05-27T/7:32:00`) hit
    /// an assertion in TOMLKit's time parser (SIGABRT). No setting takes a date or time, so the
    /// scan refuses all of them before the parser.
    @Test func dateAndTimeValuesAreAProblemNotAnAbort() {
        let values = [
            "d = 1979-05-27T/7:32:00\n", "d = 1979-05-27T07:32:00Z\n", "d = 1979-05-27\n", "d = 07:32:00\n",
            "x = [1, 2]\nd = [ 1979-05-27 ]\n", "t = { a = 07:32 }\n",
        ]
        for text in values {
            let found = problems(text)
            #expect(found.count == 1, "\(text.debugDescription): \(found)")
            #expect(found.first?.message == "a date or time value", "\(text.debugDescription)")
        }
        let notDates = "a = -1\nb = 1e-3\nc = 1_000-1\nd = \"12:30 1979-05-27\"\ne = 0x1f # 07:32\n"
        #expect(ConfigurationLimits.problems(in: notDates, file: "n.toml").isEmpty)
    }

    /// Found by `scripts/fuzz config`: a `}` inside an array (`dates = [}19...]`) hit an assertion
    /// in TOMLKit's value parser (SIGABRT); the scan refuses closers that match no opener.
    @Test func aMismatchedClosingBracketIsAProblemNotAnAbort() {
        for text in ["dates = [}19ugthreathreadseam]0]\ndseam]0]\n", "d = [}]\n", "d = [1, }]\n", "d = {a = [1}]\n"] {
            let found = problems(text)
            #expect(found.count == 1, "\(text.debugDescription): \(found)")
            #expect(found.first?.message == "a closing bracket or brace that matches no opening one", "\(text)")
        }
        let balanced = "a = [[1, 2], {b = [3]}]\n[t]\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n"
        #expect(ConfigurationLimits.problems(in: balanced, file: "b.toml").isEmpty)
    }

    @Test func deepKeysNestingAndTablesEachHaveTheirLimit() {
        let deepKey = "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n" + "x.y.z.a.b.c.d.e.f = 1\n"
        #expect(problems(deepKey).map(\.line) == [4])
        #expect(problems(deepKey).first?.message.contains("more than 8 parts") == true)
        let deepHeader = "[a.b.c.d.e.f.g.h.i]\n"
        #expect(problems(deepHeader).first?.message.contains("more than 8 parts") == true)
        let deepInlineKey = "x = { " + Array(repeating: "k", count: 20).joined(separator: ".") + " = 1 }\n"
        #expect(problems(deepInlineKey).first?.message.contains("more than 8 parts") == true)
        let nested = "x = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        #expect(problems(nested).contains { $0.message.contains("nested more than 8 deep") })
        let inlineNested = "x = " + String(repeating: "{a=", count: 50) + "1" + String(repeating: "}", count: 50) + "\n"
        #expect(problems(inlineNested).contains { $0.message.contains("nested more than 8 deep") })
        // Dots and brackets inside strings and comments are not keys or nesting.
        let quiet = """
            model = "a.b.c.d.e.f.g.h.i.j.onnx" # [[[[[[[[[[ x.y.z.a.b.c.d.e.f.g
            log_level = 'info'
            [[stream]]
            name = "a.b.c.d.e.f.g.h.i.j"
            source = \"\"\"
            [[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j = 1
            \"\"\"
            """
        #expect(ConfigurationLimits.problems(in: quiet, file: "q.toml").isEmpty)
    }

    @Test func tooManyStreamsAndHugeFilesAndLinesAreRefused() {
        let stream = "[[stream]]\nname = \"s\"\nsource = \"a.mp4\"\n"
        let many = (0..<65).map { stream.replacingOccurrences(of: "\"s\"", with: "\"s\($0)\"") }.joined()
        #expect(problems(many).contains { $0.message.contains("65 [[stream]] tables, more than 64") })
        let sixtyFour = (0..<64).map { stream.replacingOccurrences(of: "\"s\"", with: "\"s\($0)\"") }.joined()
        #expect(problems(sixtyFour).isEmpty)
        let inlineMany =
            "stream = [" + (0..<65).map { "{ name = \"s\($0)\", source = \"a.mp4\" }" }.joined(separator: ", ") + "]\n"
        #expect(problems(inlineMany).contains { $0.message.contains("65 streams, more than 64") })
        let longLine = "model = \"" + String(repeating: "m", count: 9000) + "\"\n"
        #expect(problems(longLine).first?.message == "line of 9010 bytes, more than 8192")
        let huge = String(repeating: "# padding\n", count: 110_000)
        #expect(problems(huge).first?.message.contains("more than the 1048576 a configuration may have") == true)
    }

    @Test func longValuesAreCutInMessages() {
        let value = String(repeating: "v", count: 5000)
        let found = problems("log_level = \"\(value)\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\n")
        let message = try? #require(found.first?.message)
        #expect((message?.count ?? 0) < 400)
        #expect(message?.contains("5") == true && message?.contains("cut") == true)
    }

    @Test func linesPointAtTheKeyAfterMultilineStringsAndInsideStreamSubtables() {
        let text = """
            [[stream]]
            name = "a"
            source = \"\"\"
            a.mp4
            threads = 3
            \"\"\"
            threshold = 7

            [stream.extra]
            setting = 1
            """
        let found = problems(text)
        #expect(found.contains { $0.line == 7 && $0.message.contains("threshold") }, "\(found)")
        #expect(found.contains { $0.line == 9 && $0.message.contains("extra") }, "\(found)")
    }
}

/// The same through the real binary: `check-config` and a running daemon given the file on SIGHUP.
@Suite(.serialized) struct HostileConfigurationProcessTests {
    @Test func checkConfigReportsTheDeepKeyInsteadOfCrashing() throws {
        let fixtures = try DaemonFixtures()
        let path = fixtures.folder.appendingPathComponent("deep.toml").path
        try (Array(repeating: "a", count: 150_000).joined(separator: ".") + " = 1\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let result = try FaceStreamBinary.run(["check-config", path])
        #expect(result.status == 78, "\(result.stderr.prefix(300))")
        #expect(result.stderr.split(separator: "\n").count <= 3)
        #expect(result.stderr.count < 2000)
    }

    @Test func anOutputThatIsAFolderIsAProblem() throws {
        let fixtures = try DaemonFixtures()
        let config = try fixtures.writeConfig(
            "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\noutput = \"\(fixtures.folder.path)\"\n")
        let result = try FaceStreamBinary.run(["check-config", config])
        #expect(result.status == 78)
        #expect(
            result.stderr.contains(":6: stream \"a\": output \(fixtures.folder.path) is a folder"), "\(result.stderr)")
    }

    @Test func aRunningDaemonKeepsItsConfigurationWhenReloadedWithAHostileFile() throws {
        let fixtures = try DaemonFixtures()
        let server = try StreamServer(port: try LocalServers.freePort(), seconds: nil)
        let config = try fixtures.writeConfig(fixtures.stream("live", source: server.url))
        let daemon = try DaemonProcess(config: config)
        try daemon.waitForStatus(["live": "running"])
        try (Array(repeating: "a", count: 150_000).joined(separator: ".") + " = 1\n").write(
            toFile: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try daemon.waitForNotification { $0.contains("RELOADING=1") }
        try daemon.waitForNotification { $0.contains("READY=1") }
        try daemon.waitForStatus(["live": "running"])
        #expect(daemon.process.isRunning)
        daemon.signal(SIGTERM)
        let (status, stderr) = daemon.waitForExit()
        #expect(status == 0, "\(stderr.suffix(500))")
        #expect(stderr.contains("reload rejected"), "\(stderr.suffix(500))")
        // Summaries name the stream, never its source URL.
        let summaries = stderr.split(separator: "\n").filter { $0.contains(" frames, ") }
        #expect(!summaries.isEmpty)
        #expect(summaries.allSatisfy { $0.contains("stream live") && !$0.contains(server.url) }, "\(summaries)")
    }
}
