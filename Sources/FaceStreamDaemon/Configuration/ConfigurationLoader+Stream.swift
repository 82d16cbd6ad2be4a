import DetectionSinks
import FFmpegMedia
import FaceStreamApp
import Foundation
import FrameProcessing
import TOMLKit
import Webhooks

extension ConfigurationLoader {
    /// `tracks`, `events`, `events_only`, `track_low_threshold`, `track_min_hits`,
    /// `track_max_age` (the `--tracks`, `--events*` and `--track-*` flags); the outputs that need
    /// tracks (`OutputOptions.needTracks`, read before) and publishing to MQTT turn it on too, with
    /// the stream's `track_*` settings.
    static func readTracking(
        _ table: TOMLTable, into stream: inout StreamSettings, publishing: Bool, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        let low = reader.number(
            "track_low_threshold", in: table, scope: scope, rule: "above 0 and at most threshold",
            hint: "0.3 is the default", isValid: { $0 > 0 && Float($0) <= stream.threshold })
        let hits = reader.integer(
            "track_min_hits", in: table, scope: scope, range: 1...100, hint: "detections before a track gets its id")
        let age = reader.number(
            "track_max_age", in: table, scope: scope, rule: "between 0 and 3600 seconds (exclusive of 0)",
            hint: "seconds of stream time without a match before a track ends; 1 is the default",
            isValid: { $0 > 0 && $0 <= 3600 })
        let events = reader.bool("events", in: table, scope: scope) ?? false
        let eventsOnly = reader.bool("events_only", in: table, scope: scope) ?? false
        stream.outputs.events = eventsOnly ? .only : (events ? .withFrames : .none)
        let tracks = reader.bool("tracks", in: table, scope: scope) == true
        guard tracks || stream.outputs.needTracks || publishing else { return }
        stream.tracking = TrackerSettings(
            reportThreshold: stream.threshold, lowThreshold: low.map(Float.init) ?? 0.3, minimumHits: hits ?? 2,
            maximumAge: .milliseconds(Int((age ?? 1) * 1000)))
    }

    /// `snapshots` (a folder; "" for none), `snapshot_keep` and `snapshot_margin` (the
    /// `--snapshot*` flags); the files are named after the stream.
    static func readSnapshots(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        let keep = reader.integer(
            "snapshot_keep", in: table, scope: scope, range: 0...10_000_000,
            hint:
                "newest snapshot files of this stream kept; 0 keeps all, \(SnapshotRequest.daemonDefaultKeep) is the default"
        )
        let margin = reader.number(
            "snapshot_margin", in: table, scope: scope, rule: "between 0 and 2",
            hint: "fraction of the face box added on each side; 0.25 is the default", isValid: { (0...2).contains($0) })
        guard let folder = reader.string("snapshots", in: table, scope: scope), !folder.isEmpty else { return }
        stream.outputs.snapshots = SnapshotRequest(
            folder: folder, keep: keep ?? SnapshotRequest.daemonDefaultKeep, margin: Float(margin ?? 0.25),
            sourceName: stream.name)
    }

    /// `webhook`, `webhook_secret_file` and `webhook_timeout` (the `--webhook*` flags). The secret
    /// file is read when the stream starts; `ConfigurationChecker` checks that it can be.
    static func readWebhook(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        let url = reader.string("webhook", in: table, scope: scope)
        let secretFile = reader.string("webhook_secret_file", in: table, scope: scope)
        let timeout = reader.number(
            "webhook_timeout", in: table, scope: scope,
            rule:
                "between \(WebhookLimits.timeoutRange.lowerBound) and \(WebhookLimits.timeoutRange.upperBound) seconds",
            hint:
                "seconds one attempt may take, connecting included; \(WebhookLimits.defaultTimeout.inSeconds) is the default",
            isValid: { WebhookLimits.timeoutRange.contains($0) })
        guard let url, !url.isEmpty else {
            if let secretFile, !secretFile.isEmpty {
                reader.problem(
                    "webhook_secret_file without a webhook", key: "webhook_secret_file", in: scope,
                    hint: "the secret signs webhook requests; add webhook = \"https://...\" or remove it")
            }
            return
        }
        let endpoint: WebhookEndpoint
        do {
            endpoint = try WebhookEndpoint(url)
        } catch {
            reader.problem(
                "webhook: \(error.description)", key: "webhook", in: scope,
                hint: "e.g. webhook = \"http://127.0.0.1:8123/api/webhook/door\"")
            return
        }
        if secretFile?.isEmpty == true {
            reader.problem(
                "webhook_secret_file is empty", key: "webhook_secret_file", in: scope,
                hint: "a file holding the shared secret, or leave the key out to send unsigned requests")
        }
        stream.outputs.webhook = WebhookRequest(
            endpoint: endpoint, secretFile: secretFile.flatMap { $0.isEmpty ? nil : $0 },
            timeout: timeout.map { .milliseconds(Int64(($0 * 1000).rounded())) } ?? WebhookLimits.defaultTimeout)
    }

    /// `annotate` and `annotate_style`.
    static func readRecording(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        var path: String?
        var chosenStyle = AnnotationStyle.box
        if let annotate = reader.string("annotate", in: table, scope: scope), !annotate.isEmpty {
            if (annotate as NSString).pathExtension.isEmpty {
                reader.problem(
                    "annotate \"\(annotate)\" has no file extension", key: "annotate", in: scope,
                    hint: "the container comes from the extension, e.g. door.mkv or door.mp4")
            } else if annotate == stream.output {
                reader.problem(
                    "annotate is the same file as output", key: "annotate", in: scope,
                    hint: "give the recording its own path")
            } else {
                path = annotate
            }
        }
        if let style = reader.string("annotate_style", in: table, scope: scope) {
            if let parsed = AnnotationStyle(rawValue: style.lowercased()) {
                chosenStyle = parsed
            } else {
                reader.problem(
                    "annotate_style \"\(style)\" is not a style", key: "annotate_style", in: scope,
                    hint: "use one of " + AnnotationStyle.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        stream.outputs.annotation = path.map {
            AnnotationRequest(path: $0, style: chosenStyle, encoder: VideoEncoderOptions())
        }
    }

    /// `camera_size`, `camera_fps`, `camera_format`, `camera_buffers`, `camera_timeout`, checked
    /// by the same rules as the `--camera-*` flags.
    static func readCamera(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        func check<Value>(
            _ key: String, _ value: String, hint: String, _ parse: () throws(CameraOptionParser.Rejection) -> Value
        ) -> Value? {
            do {
                return try parse()
            } catch {
                reader.problem("\(key) \(error.rule), got \(value)", key: key, in: scope, hint: hint)
                return nil
            }
        }
        if let size = reader.string("camera_size", in: table, scope: scope), !size.isEmpty,
            let parsed = check(
                "camera_size", "\"\(size)\"", hint: "WIDTHxHEIGHT; \"\" asks for 640x480 (or the nearest offered)",
                { () throws(CameraOptionParser.Rejection) in try CameraOptionParser.size(size) })
        {
            stream.camera.format.width = parsed.width
            stream.camera.format.height = parsed.height
        }
        if let rate = reader.number(
            "camera_fps", in: table, scope: scope, rule: "0 (fastest offered) or positive",
            hint: "frames per second to ask the camera for", isValid: { $0 >= 0 }), rate > 0
        {
            stream.camera.format.framesPerSecond = check(
                "camera_fps", "\(rate)", hint: "0 asks for the fastest rate offered",
                { () throws(CameraOptionParser.Rejection) in try CameraOptionParser.framesPerSecond(rate) })
        }
        if let format = reader.string("camera_format", in: table, scope: scope),
            let parsed = check(
                "camera_format", "\"\(format)\"", hint: "auto picks MJPG above 640x480, else YUYV",
                { () throws(CameraOptionParser.Rejection) in try CameraOptionParser.pixelFormat(format) })
        {
            stream.camera.format.pixelFormat = parsed
        }
        let bufferHint = "mmap buffers; 4 is the default"
        if let buffers = reader.integer(
            "camera_buffers", in: table, scope: scope, range: CameraOptionParser.bufferRange, hint: bufferHint),
            let parsed = check(
                "camera_buffers", "\(buffers)", hint: bufferHint,
                { () throws(CameraOptionParser.Rejection) in try CameraOptionParser.bufferCount(buffers) })
        {
            stream.camera.bufferCount = parsed
        }
        if let seconds = reader.number(
            "camera_timeout", in: table, scope: scope, rule: "a number of seconds",
            hint: "seconds without a frame before the camera is reopened; 5 is the default", isValid: { _ in true }),
            let parsed = check(
                "camera_timeout", "\(seconds)", hint: "seconds without a frame before the camera is reopened",
                { () throws(CameraOptionParser.Rejection) in try CameraOptionParser.frameTimeout(seconds: seconds) })
        {
            stream.camera.frameTimeout = parsed
        }
    }
}
