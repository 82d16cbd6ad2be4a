import ArgumentParser
import DetectionSinks
import FaceStreamApp
import FrameProcessing
import VideoCore

/// The flags of `detect` that say how an annotated video hides faces, and which detections are
/// ignored.
struct HidingFlags: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Hiding: seconds of stream time a tracked face stays hidden at its predicted place after its last detection (0...60).",
            valueName: "seconds"))
    var hold: Double = HidingSettings.defaultHold

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Hiding: seconds of frames held back so a face is hidden before it is first found (0...2; default 0.5 for files, 0 for live sources).",
            valueName: "seconds"))
    var lookahead: Double?

    @Option(
        name: .customLong("hide-threshold"),
        help: "Hiding: faces scoring at least this are hidden even when below --threshold (0 < t < 1).")
    var hideThreshold: Float = HidingSettings.defaultHideThreshold

    @Option(
        name: .customLong("mask-scale"), help: "Hiding: grow each hidden region around the face box's centre (1...3).")
    var maskScale: Float = HidingOptions.defaultMaskScale

    @Option(name: .customLong("mask-shape"), help: "Hiding: rect or ellipse (soft edges either way).")
    var maskShape: MaskShape = .ellipse

    @Option(
        name: .customLong("privacy-zone"),
        help: ArgumentHelp(
            "Annotation: fill this polygon black on every frame, \"x1,y1 x2,y2 x3,y3 ...\" in pixels or with % of the frame (repeatable).",
            valueName: "polygon"))
    var privacyZones: [String] = []

    @Option(
        name: .customLong("ignore-zone"),
        help: ArgumentHelp(
            "Drop detections whose box centre lies in this polygon (posters, screens); same form as --privacy-zone (repeatable).",
            valueName: "polygon"))
    var ignoreZones: [String] = []

    @Flag(
        name: .customLong("fail-closed"),
        help:
            "Hiding, live sources: write whole frames black while the latest analysed frame is more than --hold old.")
    var failClosed = false

    func validate() throws {
        guard hold >= 0, hold <= HidingSettings.maximumHold else {
            throw ValidationError("--hold must be between 0 and \(HidingSettings.maximumHold) seconds, got \(hold)")
        }
        if let lookahead, !(lookahead >= 0 && lookahead <= HidingOptions.maximumLookahead) {
            throw ValidationError(
                "--lookahead must be between 0 and \(HidingOptions.maximumLookahead) seconds, got \(lookahead)")
        }
        guard hideThreshold > 0, hideThreshold < 1 else {
            throw ValidationError("--hide-threshold must be between 0 and 1 (exclusive), got \(hideThreshold)")
        }
        guard HidingOptions.maskScaleRange.contains(maskScale) else {
            throw ValidationError("--mask-scale must be between 1 and 3, got \(maskScale)")
        }
        _ = try zones(privacyZones, flag: "--privacy-zone")
        _ = try zones(ignoreZones, flag: "--ignore-zone")
    }

    /// The zones given with `flag`, or a validation error naming the flag and the bad value.
    func zones(_ texts: [String], flag: String) throws -> [Zone] {
        guard texts.count <= Zone.maximumZones else {
            throw ValidationError(
                "\(flag) is given \(texts.count) times; at most \(Zone.maximumZones) zones are allowed")
        }
        var zones: [Zone] = []
        for text in texts {
            do {
                zones.append(try Zone(parsing: text))
            } catch {
                throw ValidationError("\(flag) \"\(text)\" \(error.description)")
            }
        }
        return zones
    }

    /// The sink's hiding options.
    func hidingOptions() throws -> HidingOptions {
        HidingOptions(
            maskScale: maskScale, maskShape: maskShape, privacyZones: try zones(privacyZones, flag: "--privacy-zone"),
            lookahead: lookahead.map { .milliseconds(Int(($0 * 1000).rounded())) },
            failClosedAfter: failClosed ? .milliseconds(Int((hold * 1000).rounded())) : nil)
    }

    /// The processors' hiding settings; `reportsTracks` when the user asked for tracks.
    func hidingSettings(reportsTracks: Bool) -> HidingSettings {
        HidingSettings(
            hold: .milliseconds(Int((hold * 1000).rounded())), hideThreshold: hideThreshold,
            reportsTracks: reportsTracks)
    }
}

extension MaskShape: ExpressibleByArgument {}
