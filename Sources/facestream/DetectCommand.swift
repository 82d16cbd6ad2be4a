import ArgumentParser
import DetectionSinks
import FFmpegMedia
import FaceStreamApp
import Foundation
import FramePipeline
import FrameProcessing
import VideoCore
import Webhooks

/// `facestream detect`: faces in photos, one JSON line per input.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect faces in photos, video files and streams; JSON lines on stdout (or --output).",
        discussion: """
            INPUT is a photo (JPEG, decoded exactly like the reference with libjpeg-turbo; PNG and the other
            formats FFmpeg decodes), a video file, a URL FFmpeg opens (rtsp://, http(s)://, udp://, ...),
            - for standard input, or a camera (/dev/video0, /dev/v4l/by-id/...; see `facestream devices`),
            which is read until interrupted, waited for while missing and reopened when it disappears. Photos give one line each; videos one line per analysed frame. A bad
            input is reported on stderr and skipped; the exit status is 1 when any input failed.
            SIGINT/SIGTERM stop reading, finish the frames already read and exit 0.
            """)

    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var inputSizeOptions: InputSizeOptions

    @OptionGroup var tileOptions: TileOptions

    @OptionGroup(title: "Camera options") var cameraOptions: CameraOptions

    @Option(name: .long, help: "Score threshold: faces scoring above it are reported (0 < t < 1).")
    var threshold: Float = 0.7

    @Option(name: .long, help: "IoU above which non-maximum suppression drops the weaker of two boxes (0...1).")
    var iou: Float = 0.3

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Write the JSON lines to this file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Video: analyse every Nth frame.")
    var every: Int?

    @Option(name: .long, help: "Video: analyse at most F frames per second of stream time.")
    var fps: Double?

    @Option(
        name: .customLong("min-face"),
        help: ArgumentHelp("Drop faces smaller than PX pixels in width or height.", valueName: "px"))
    var minFace: Int?

    @Flag(name: .long, help: "Video: follow faces across frames; each face gets \"track\": N (its track's id).")
    var tracks = false

    @Flag(name: .long, help: "Video: also write event lines when a face appears and leaves (implies --tracks).")
    var events = false

    @Flag(
        name: .customLong("events-only"), help: "Video: write only the event lines, no frame lines (implies --tracks).")
    var eventsOnly = false

    @Option(
        name: .customLong("track-low-threshold"),
        help: "Tracking: faces scoring from this up to --threshold keep their track alive without being reported.")
    var trackLowThreshold: Float = 0.3

    @Option(name: .customLong("track-min-hits"), help: "Tracking: detections before a track gets its id.")
    var trackMinHits: Int = 2

    @Option(
        name: .customLong("track-max-age"),
        help: ArgumentHelp(
            "Tracking: seconds of stream time without a match before a track ends.", valueName: "seconds"))
    var trackMaxAge: Double = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Video: write a JPEG of each track's face to this folder when it appears and its best one when it leaves (implies --tracks; the events name the files).",
            valueName: "folder"))
    var snapshots: String?

    @Option(
        name: .customLong("snapshot-keep"),
        help: "Snapshots: keep the newest N files of each input in the folder, deleting older ones (0 keeps all).")
    var snapshotKeep: Int = 0

    @Option(
        name: .customLong("snapshot-margin"),
        help: "Snapshots: margin around the face box on each side, as a fraction of its width and height (0...2).")
    var snapshotMargin: Float = 0.25

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Video: POST every track event as JSON to this http(s) URL (implies --tracks; see README, Webhooks).",
            valueName: "url"))
    var webhook: String?

    @Option(
        name: .customLong("webhook-secret-file"),
        help: ArgumentHelp(
            "Sign webhook requests (X-FaceStream-Signature: sha256=HMAC of the body) with the secret in this file.",
            valueName: "file"))
    var webhookSecretFile: String?

    @Option(
        name: .customLong("webhook-timeout"),
        help: ArgumentHelp(
            "Webhook: seconds one attempt may take, connecting included (failed attempts are retried).",
            valueName: "seconds"))
    var webhookTimeout: Double = WebhookLimits.defaultTimeout.inSeconds

    @Flag(name: .customLong("only-faces"), help: "Video: write only frames with at least one face.")
    var onlyFaces = false

    @Option(name: .long, help: ArgumentHelp("Network sources: open and read timeout in seconds.", valueName: "seconds"))
    var timeout: Double = 10

    @Option(
        name: .customLong("reconnect-max-delay"),
        help: ArgumentHelp(
            "Network sources: longest wait between reconnect attempts (the wait starts at 0.5 s and doubles).",
            valueName: "seconds"))
    var reconnectMaxDelay: Double = 30

    @Option(
        name: .customLong("reconnect-attempts"),
        help: "Network sources: give up after N failed reconnects in a row (default: never).")
    var reconnectAttempts: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Video: write a copy with the faces marked or hidden (container from the extension).", valueName: "out"))
    var annotate: String?

    @Option(name: .long, help: "Annotation style: box, blur, pixelate or solid.")
    var style: AnnotationStyle = .box

    @OptionGroup(title: "Hiding options") var hidingFlags: HidingFlags

    @Option(name: .long, help: "Annotation encoder (default libx264; libvpx-vp9 for .webm).")
    var encoder: String?

    @Option(name: .long, help: "Annotation quality: encoder CRF (lower is better).")
    var crf: Int = 23

    @Option(name: .long, help: "Annotation encoder preset (x264: ultrafast ... veryslow).")
    var preset: String = "veryfast"

    @OptionGroup(title: "MQTT options") var mqttFlags: MQTTFlags

    @Flag(name: .long, help: "Log more (model compile summary, timings) on stderr.")
    var verbose = false

    @Argument(
        help: ArgumentHelp(
            "Photos, video files, URLs, - (standard input) or cameras (/dev/video0) to analyse.", valueName: "input"))
    var inputs: [String]

    func validate() throws {
        guard threshold > 0, threshold < 1 else {
            throw ValidationError("--threshold must be between 0 and 1 (exclusive), got \(threshold)")
        }
        guard iou >= 0, iou <= 1 else { throw ValidationError("--iou must be between 0 and 1, got \(iou)") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one input") }
        guard every == nil || fps == nil else { throw ValidationError("--every and --fps cannot be used together") }
        if let every, every < 1 { throw ValidationError("--every must be at least 1, got \(every)") }
        if let fps, !(fps > 0) { throw ValidationError("--fps must be positive, got \(fps)") }
        if let minFace, minFace < 0 { throw ValidationError("--min-face must not be negative, got \(minFace)") }
        guard trackLowThreshold > 0, trackLowThreshold <= threshold else {
            throw ValidationError(
                "--track-low-threshold must be above 0 and at most --threshold, got \(trackLowThreshold)")
        }
        guard (1...100).contains(trackMinHits) else {
            throw ValidationError("--track-min-hits must be between 1 and 100, got \(trackMinHits)")
        }
        guard trackMaxAge > 0, trackMaxAge <= 3600 else {
            throw ValidationError("--track-max-age must be between 0 and 3600 seconds, got \(trackMaxAge)")
        }
        guard snapshotKeep >= 0 else {
            throw ValidationError("--snapshot-keep must not be negative, got \(snapshotKeep)")
        }
        guard snapshotMargin >= 0, snapshotMargin <= 2 else {
            throw ValidationError("--snapshot-margin must be between 0 and 2, got \(snapshotMargin)")
        }
        if snapshots?.isEmpty == true { throw ValidationError("--snapshots needs a folder") }
        if annotate != nil, inputs.count != 1 { throw ValidationError("--annotate takes exactly one video input") }
        if annotate != nil, let input = inputs.first, InputClassifier.classify(input) == .photo {
            throw ValidationError("--annotate writes a video, and \(input) is a photo; give a video, stream or camera")
        }
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be between 0 and 3600 seconds, got \(timeout)")
        }
        guard reconnectMaxDelay >= 0.5, reconnectMaxDelay <= 3600 else {
            throw ValidationError(
                "--reconnect-max-delay must be between 0.5 and 3600 seconds, got \(reconnectMaxDelay)")
        }
        if let webhook {
            do {
                _ = try WebhookEndpoint(webhook)
            } catch {
                throw ValidationError("--webhook: \(error.description)")
            }
        } else if webhookSecretFile != nil {
            throw ValidationError("--webhook-secret-file signs webhook requests; give --webhook URL too")
        }
        guard WebhookLimits.timeoutRange.contains(webhookTimeout) else {
            throw ValidationError(
                "--webhook-timeout must be between \(WebhookLimits.timeoutRange.lowerBound) and \(WebhookLimits.timeoutRange.upperBound) seconds, got \(webhookTimeout)"
            )
        }
        if let reconnectAttempts, reconnectAttempts < 0 {
            throw ValidationError("--reconnect-attempts must not be negative")
        }
        if mqttFlags.name != nil, inputs.count != 1 {
            throw ValidationError("--name names one input; give exactly one")
        }
        if let name = mqttFlags.name, name.isEmpty || name.utf8.count > StreamName.maximumLength {
            throw ValidationError("--name must have 1 to \(StreamName.maximumLength) characters")
        }
        _ = try mqttFlags.options()
    }

    func run() throws {
        Logging.bootstrap(verbose: verbose)
        ProcessDefaults.apply()
        let selection: FrameSelection =
            if let every { .everyNth(every) } else if let fps { .maximumRate(framesPerSecond: fps) } else { .all }
        let eventLines: JSONLinesSink.EventLines = eventsOnly ? .only : (events ? .withFrames : .none)
        let hidingOptions = try hidingFlags.hidingOptions()
        let mqtt = try mqttFlags.options()
        var outputs = OutputOptions(
            onlyFaces: onlyFaces,
            annotation: annotate.map {
                AnnotationRequest(
                    path: $0, style: style, encoder: VideoEncoderOptions(codec: encoder, crf: crf, preset: preset),
                    hiding: hidingOptions)
            }, events: eventLines,
            snapshots: snapshots.map { SnapshotRequest(folder: $0, keep: snapshotKeep, margin: snapshotMargin) },
            webhook: try webhook.map {
                WebhookRequest(
                    endpoint: try WebhookEndpoint($0), secretFile: webhookSecretFile,
                    timeout: .milliseconds(Int((webhookTimeout * 1000).rounded())))
            })
        outputs.streamName = mqttFlags.name
        let reportsTracks = tracks || outputs.needTracks || mqtt != nil
        // A hiding style tracks faces to hold them over missed detections, asked for tracks or not.
        let hides = annotate != nil && style != .box
        var video = VideoOptions(
            workers: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount, selection: selection,
            minimumFaceSize: minFace,
            tracking: reportsTracks || hides
                ? TrackerSettings(
                    reportThreshold: threshold, lowThreshold: trackLowThreshold, minimumHits: trackMinHits,
                    maximumAge: .milliseconds(Int(trackMaxAge * 1000))) : nil,
            source: VideoSourceOptions(
                openTimeout: .milliseconds(Int(timeout * 1000)), readTimeout: .milliseconds(Int(timeout * 1000)),
                reconnect: ReconnectPolicy(
                    maximumDelay: .milliseconds(Int(reconnectMaxDelay * 1000)), maximumAttempts: reconnectAttempts)),
            camera: try cameraOptions.cameraOptions())
        video.ignoreZones = try hidingFlags.zones(hidingFlags.ignoreZones, flag: "--ignore-zone")
        if hides { video.hiding = hidingFlags.hidingSettings(reportsTracks: reportsTracks) }
        var request = DetectRequest(
            inputs: inputs, modelPath: modelOptions.model, threads: 1,
            thresholds: DetectionThresholds(score: threshold, iou: iou), outputPath: output, video: video,
            outputs: outputs, mqtt: mqtt)
        request.inputSize = try inputSizeOptions.request()
        request.precision = modelOptions.precision
        request.tiles = try tileOptions.request()

        let stopper = RunStopper()
        stopper.installSignalHandlers()
        let status = DetectRunner().run(request, stopper: stopper)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

extension AnnotationStyle: ExpressibleByArgument {}
