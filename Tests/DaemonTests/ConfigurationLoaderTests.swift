import DetectionSinks
import Foundation
import FrameProcessing
import TestSupport
import Testing
import V4L2Capture

@testable import FaceStreamDaemon

@Suite struct ConfigurationLoaderTests {
    static let sample = SharedData.repositoryRoot.appendingPathComponent("Config/facestream.toml").path

    private func problems(_ text: String) -> [ConfigurationProblem] {
        DaemonTestValues.problems(text)
    }

    @Test func theSampleIsValidAndStatesTheDefaults() throws {
        let configuration = try ConfigurationLoader.load(path: Self.sample)
        #expect(configuration.global == GlobalSettings())
        var expected = StreamSettings(name: "door", source: "/dev/video0")
        expected.output = "/var/log/facestream/door.jsonl"
        #expect(configuration.streams == [expected])
    }

    @Test func theSampleMentionsEveryKey() throws {
        let text = try String(contentsOfFile: Self.sample, encoding: .utf8)
        for key in ConfigurationLoader.globalKeys + ConfigurationLoader.streamKeys {
            #expect(
                text.contains("\n\(key) =") || text.contains("\n# \(key) =") || text.contains("[[\(key)]]"),
                "sample lacks \(key)")
        }
    }

    @Test func readsStreamsWithTheirOptions() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            model = "version-slim-320.onnx"
            threads = 2
            workers = 3
            log_level = "debug"
            metrics = "127.0.0.1:9464"
            status_interval = 2.5

            [[stream]]
            name = "door"
            source = "rtsp://192.0.2.1/s"
            threshold = 0.5
            iou = 0.4
            min_face = 20
            max_fps = 5
            workers = 1
            output = "-"
            only_faces = true

            [[stream]]
            name = "yard"
            source = "/dev/video2"
            model = "version-RFB-640.onnx"
            """, file: "test.toml")
        #expect(configuration.global.model == "version-slim-320.onnx")
        #expect(configuration.global.threads == 2)
        #expect(configuration.global.workers == 3)
        #expect(configuration.global.logLevel == .debug)
        #expect(configuration.global.metricsAddress == MetricsAddress(host: "127.0.0.1", port: 9464))
        #expect(configuration.global.statusInterval == .milliseconds(2500))
        #expect(configuration.streams.map(\.name) == ["door", "yard"])
        let door = configuration.streams[0]
        #expect(door.threshold == 0.5 && door.iou == 0.4 && door.minFace == 20 && door.maxFPS == 5 && door.workers == 1)
        #expect(door.outputs.onlyFaces && door.output == "-")
        #expect(configuration.streams[1].model == "version-RFB-640.onnx")
    }

    @Test func anUnknownKeyIsReportedWithItsLineAndASuggestion() {
        let found = problems("threads = 1\n\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nmin_fase = 3\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.message.contains("unknown key \"min_fase\"") == true)
        #expect(found.first?.hint?.contains("min_face") == true)
        #expect(found.first?.description.hasPrefix("test.toml:6: stream \"a\": unknown key") == true)
    }

    @Test func anUnknownTableIsReported() {
        let found = problems("[[streams]]\nname = \"a\"\nsource = \"a.mp4\"\n")
        #expect(
            found.contains {
                $0.line == 1 && $0.message.contains("unknown key \"streams\"")
                    && $0.hint?.contains("\"stream\"") == true
            })
    }

    @Test func aWrongTypeIsReported() {
        let found = problems("workers = \"two\"\n[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nthreshold = \"high\"\n")
        #expect(found.map(\.line) == [1, 5])
        #expect(found[0].message == "workers must be an integer, got a string \"two\"")
        #expect(found[1].message == "stream \"a\": threshold must be a number, got a string \"high\"")
    }

    @Test func badValuesAreReported() {
        let found = problems(
            """
            log_level = "loud"
            metrics = "0.0.0.0:9464"
            [[stream]]
            name = "a b"
            source = "a.mp4"
            [[stream]]
            name = "c"
            source = "c.mp4"
            threshold = 1.5
            iou = -0.1
            annotate = "/var/lib/facestream/c"
            """)
        #expect(found.map(\.line) == [1, 2, 4, 9, 10, 11])
        #expect(found[2].message.contains("name \"a b\" is not valid"))
        #expect(found[3].message == "stream \"c\": threshold must be between 0 and 1 (exclusive), got 1.5")
        #expect(found[5].message == "stream \"c\": annotate \"/var/lib/facestream/c\" has no file extension")
    }

    @Test func readsRecordingAndCameraKeys() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            annotate = "/var/lib/facestream/door.mkv"
            annotate_style = "Pixelate"
            camera_size = "1280X720"
            camera_fps = 15
            camera_format = "mjpeg"
            camera_buffers = 8
            camera_timeout = 2.5

            [[stream]]
            name = "yard"
            source = "/dev/video1"
            camera_format = "YUYV"
            """, file: "test.toml")
        let door = configuration.streams[0]
        #expect(door.outputs.annotation?.path == "/var/lib/facestream/door.mkv")
        #expect(door.outputs.annotation?.style == .pixelate)
        #expect(
            door.camera.format
                == CameraFormatRequest(width: 1280, height: 720, framesPerSecond: 15, pixelFormat: .forced(.mjpeg)))
        #expect(door.camera.bufferCount == 8)
        #expect(door.camera.frameTimeout == .milliseconds(2500))
        let options = door.camera.options
        #expect(
            options.format == door.camera.format && options.bufferCount == 8
                && options.frameTimeout == .milliseconds(2500))
        let yard = configuration.streams[1]
        #expect(yard.outputs.annotation == nil)
        #expect(yard.camera.format.pixelFormat == .forced(.yuyv))
        #expect(yard.camera.format.width == nil && yard.camera.format.framesPerSecond == nil)
        #expect(yard.camera.bufferCount == 4 && yard.camera.frameTimeout == .seconds(5))
    }

    @Test func badRecordingAndCameraValuesAreReportedWithTheirLines() {
        let found = problems(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            output = "/tmp/door.jsonl"
            annotate = "/tmp/door.jsonl"
            annotate_style = "fuzzy"
            camera_size = "1280"
            camera_fps = 5000
            camera_format = "H264"
            camera_buffers = 0
            camera_timeout = 0
            [[stream]]
            name = "yard"
            source = "/dev/video1"
            camera_size = 720
            camera_fps = -1
            camera_buffers = "many"
            camera_timeout = 4000
            """)
        #expect(found.map(\.line) == Array(5...11) + Array(15...18), "\(found)")
        let messages = found.map(\.message)
        #expect(messages[0] == "stream \"door\": annotate is the same file as output")
        #expect(messages[1] == "stream \"door\": annotate_style \"fuzzy\" is not a style")
        #expect(found[1].hint == "use one of box, blur, pixelate, solid")
        #expect(
            messages[2] == "stream \"door\": camera_size must look like 1280x720 (each side 16...16384), got \"1280\"")
        #expect(messages[3] == "stream \"door\": camera_fps must be between 0 and 1000, got 5000.0")
        #expect(messages[4] == "stream \"door\": camera_format must be auto, YUYV, MJPG, JPEG or RGB3, got \"H264\"")
        #expect(messages[5] == "stream \"door\": camera_buffers must be between 1 and 32, got 0")
        #expect(messages[6] == "stream \"door\": camera_timeout must be between 0 and 3600 s, got 0.0")
        #expect(messages[7].hasPrefix("stream \"yard\": camera_size must be a string"))
        #expect(messages[8] == "stream \"yard\": camera_fps must be 0 (fastest offered) or positive, got -1.0")
        #expect(messages[9].hasPrefix("stream \"yard\": camera_buffers must be an integer"))
        #expect(messages[10] == "stream \"yard\": camera_timeout must be between 0 and 3600 s, got 4000.0")
    }

    @Test func duplicateStreamNamesAreRejected() {
        let found = problems(
            "[[stream]]\nname = \"a\"\nsource = \"1.mp4\"\n\n[[stream]]\nname = \"a\"\nsource = \"2.mp4\"\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.message == "stream \"a\": duplicate stream name")
        #expect(found.first?.hint?.contains("line 2") == true)
    }

    @Test func missingKeysAndNoStreams() {
        #expect(problems("threads = 1\n").first?.message == "no streams")
        let found = problems("[[stream]]\nname = \"a\"\n")
        #expect(found.first?.line == 1)
        #expect(found.first?.message == "stream \"a\": source is missing")
    }

    @Test func syntaxErrorsCarryTheParsersLine() {
        let found = problems("threads = 1\n[[stream]]\nname = \"a\nsource = \"x\"\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.message.hasPrefix("TOML syntax:") == true)
    }

    @Test func aMissingFileIsAProblemToo() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: "/nonexistent/facestream.toml") }
    }
}

/// The tracking keys of a stream.
@Suite struct TrackingConfigurationTests {
    @Test func trackingKeysBecomeTrackerSettings() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            threshold = 0.8
            tracks = true
            track_min_hits = 3
            track_max_age = 2.5

            [[stream]]
            name = "yard"
            source = "/dev/video1"
            track_min_hits = 3
            """, file: "t.toml")
        let door = try #require(configuration.streams.first?.tracking)
        #expect(door.reportThreshold == 0.8 && door.lowThreshold == 0.3 && door.minimumHits == 3)
        #expect(door.maximumAge == .milliseconds(2500))
        #expect(configuration.streams[1].tracking == nil, "tuning keys alone do not turn tracking on")
        let events = try ConfigurationLoader.parse(
            "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nevents_only = true\n", file: "e.toml")
        #expect(events.streams[0].outputs.events == .only && events.streams[0].tracking != nil)
    }

    @Test func snapshotKeysTurnTrackingOnAndNameFilesAfterTheStream() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "door"
            source = "/dev/video0"
            snapshots = "/srv/snaps"

            [[stream]]
            name = "yard"
            source = "/dev/video1"
            snapshots = "/srv/snaps"
            snapshot_keep = 0
            snapshot_margin = 0.5

            [[stream]]
            name = "hall"
            source = "/dev/video2"
            snapshots = ""
            snapshot_keep = 5
            """, file: "s.toml")
        let door = try #require(configuration.streams[0].outputs.snapshots)
        #expect(door == SnapshotRequest(folder: "/srv/snaps", keep: 1000, margin: 0.25, sourceName: "door"))
        #expect(configuration.streams[0].tracking != nil, "snapshots imply tracks")
        #expect(configuration.streams[1].outputs.snapshots?.keep == 0)
        #expect(configuration.streams[1].outputs.snapshots?.margin == 0.5)
        #expect(configuration.streams[2].outputs.snapshots == nil && configuration.streams[2].tracking == nil)
    }

    @Test func badSnapshotValuesAreReportedWithTheirLines() {
        do {
            _ = try ConfigurationLoader.parse(
                "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nsnapshots = 3\nsnapshot_keep = -1\nsnapshot_margin = 5\n",
                file: "s.toml")
            Issue.record("accepted")
        } catch {
            let lines = Set(error.problems.compactMap(\.line))
            #expect(lines == [4, 5, 6], "\(error)")
        }
    }

    @Test func checkConfigReportsAMissingSnapshotFolder() throws {
        let configuration = try ConfigurationLoader.parse(
            "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nsnapshots = \"/nonexistent/snaps\"\n", file: "s.toml")
        let problems = ConfigurationChecker().problems(
            in: configuration, file: "s.toml",
            text: "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\nsnapshots = \"/nonexistent/snaps\"\n")
        #expect(
            problems.contains {
                $0.line == 4 && $0.message.contains("snapshots folder /nonexistent/snaps does not exist")
            })
    }

    @Test func aLowThresholdAboveTheThresholdIsAProblem() {
        do {
            _ = try ConfigurationLoader.parse(
                "[[stream]]\nname = \"a\"\nsource = \"a.mp4\"\ntracks = true\ntrack_low_threshold = 0.9\n",
                file: "t.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.contains { $0.line == 5 && $0.message.contains("track_low_threshold") }, "\(error)")
        }
    }
}

extension ConfigurationLoaderTests {
    @Test func hidingKeysTurnTrackingOnAndReachTheRecording() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [[stream]]
            name = "street"
            source = "rtsp://127.0.0.1/street"
            annotate = "/tmp/street.mkv"
            annotate_style = "pixelate"
            hold = 2
            lookahead = 0.25
            hide_threshold = 0.4
            mask_scale = 1.5
            mask_shape = "rect"
            privacy_zones = ["0,0 100,0 100,50", "50%,50% 100%,50% 100%,100%"]
            ignore_zones = ["10,10 20,10 20,20"]
            fail_closed = true
            [[stream]]
            name = "door"
            source = "/dev/video0"
            ignore_zones = ["10,10 20,10 20,20"]
            """, file: "test.toml")
        let street = configuration.streams[0]
        let hiding = try #require(street.outputs.annotation?.hiding)
        #expect(hiding.maskScale == 1.5 && hiding.maskShape == .rect)
        #expect(hiding.privacyZones.map(\.text) == ["0,0 100,0 100,50", "50%,50% 100%,50% 100%,100%"])
        #expect(hiding.lookahead == .milliseconds(250) && hiding.failClosedAfter == .seconds(2))
        #expect(street.hiding == HidingSettings(hold: .seconds(2), hideThreshold: 0.4, reportsTracks: false))
        #expect(street.tracking != nil)
        #expect(street.ignoreZones.count == 1)
        // Without a hiding recording: ignore zones only, no tracking.
        #expect(configuration.streams[1].hiding == nil && configuration.streams[1].tracking == nil)
        #expect(configuration.streams[1].ignoreZones.count == 1)
    }

    @Test func badHidingValuesAreReportedWithTheirLines() {
        let found = problems(
            """
            [[stream]]
            name = "street"
            source = "rtsp://127.0.0.1/street"
            hold = -1
            lookahead = 3
            hide_threshold = 1
            mask_scale = 0.5
            mask_shape = "star"
            privacy_zones = ["1,2 3,4"]
            ignore_zones = "1,2 3,4 5,6"
            fail_closed = "yes"
            """)
        #expect(found.map(\.line) == Array(4...11), "\(found)")
        let messages = found.map(\.message)
        #expect(messages[0] == "stream \"street\": hold must be between 0 and 60.0 seconds, got -1.0")
        #expect(messages[4] == "stream \"street\": mask_shape \"star\" is not a shape")
        #expect(
            messages[5]
                == "stream \"street\": privacy_zones[0] \"1,2 3,4\" needs at least 3 corners \"x,y x,y x,y\", got 2")
        #expect(messages[6].hasPrefix("stream \"street\": ignore_zones must be an array of strings"))
    }
}
