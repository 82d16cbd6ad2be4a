import DetectionSinks
import FrameProcessing
import TOMLKit
import VideoCore

extension ConfigurationLoader {
    /// Keys of a stream that say how its recording hides faces (the `detect` hiding flags).
    static let hidingKeys = [
        "hold", "lookahead", "hide_threshold", "mask_scale", "mask_shape", "privacy_zones", "ignore_zones",
        "fail_closed",
    ]

    /// `hold`, `lookahead`, `hide_threshold`, `mask_scale`, `mask_shape`, `privacy_zones`,
    /// `ignore_zones` and `fail_closed`. Read after the tracking and the recording keys: a hiding
    /// `annotate_style` turns tracking on for the hold (its ids and events stay out of the lines
    /// unless `tracks` or an output that implies it asks for them).
    static func readHiding(
        _ table: TOMLTable, into stream: inout StreamSettings, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) {
        let hold = reader.number(
            "hold", in: table, scope: scope, rule: "between 0 and \(HidingSettings.maximumHold) seconds",
            hint: "seconds a tracked face stays hidden after its last detection; 1 is the default",
            isValid: { $0 >= 0 && $0 <= HidingSettings.maximumHold })
        let lookahead = reader.number(
            "lookahead", in: table, scope: scope, rule: "between 0 and \(HidingOptions.maximumLookahead) seconds",
            hint: "seconds of frames held back; 0.5 is the default for files, 0 for live sources",
            isValid: { $0 >= 0 && $0 <= HidingOptions.maximumLookahead })
        let hideThreshold = reader.number(
            "hide_threshold", in: table, scope: scope, rule: "between 0 and 1 (exclusive)",
            hint: "faces scoring at least this are hidden; 0.5 is the default", isValid: { $0 > 0 && $0 < 1 })
        let maskScale = reader.number(
            "mask_scale", in: table, scope: scope, rule: "between 1 and 3",
            hint: "growth of the hidden region around the face box; 1.3 is the default",
            isValid: { HidingOptions.maskScaleRange.contains(Float($0)) })
        var maskShape = MaskShape.ellipse
        if let shape = reader.string("mask_shape", in: table, scope: scope) {
            if let parsed = MaskShape(rawValue: shape.lowercased()) {
                maskShape = parsed
            } else {
                reader.problem(
                    "mask_shape \"\(shape)\" is not a shape", key: "mask_shape", in: scope,
                    hint: "use rect or ellipse")
            }
        }
        let privacyZones = zones("privacy_zones", table, reader, scope)
        stream.ignoreZones = zones("ignore_zones", table, reader, scope)
        let failClosed = reader.bool("fail_closed", in: table, scope: scope) ?? false
        let holdSeconds = hold ?? HidingSettings.defaultHold
        let holdDuration = Duration.milliseconds(Int64((holdSeconds * 1000).rounded()))
        stream.outputs.annotation?.hiding = HidingOptions(
            maskScale: maskScale.map(Float.init) ?? HidingOptions.defaultMaskScale, maskShape: maskShape,
            privacyZones: privacyZones,
            lookahead: lookahead.map { .milliseconds(Int64(($0 * 1000).rounded())) },
            failClosedAfter: failClosed ? holdDuration : nil)
        guard let annotation = stream.outputs.annotation, annotation.style != .box else { return }
        stream.hiding = HidingSettings(
            hold: holdDuration, hideThreshold: hideThreshold.map(Float.init) ?? HidingSettings.defaultHideThreshold,
            reportsTracks: stream.tracking != nil)
        if stream.tracking == nil { stream.tracking = TrackerSettings(reportThreshold: stream.threshold) }
    }

    /// An array of zone strings, each checked like `--privacy-zone`; problems name the key and
    /// the zone's position.
    private static func zones(
        _ key: String, _ table: TOMLTable, _ reader: ConfigurationReader, _ scope: ConfigurationReader.Scope
    ) -> [Zone] {
        guard let value = table[key] else { return [] }
        let hint = "a list of polygons, e.g. \(key) = [\"0,0 200,0 200,100 0,100\", \"50%,50% 100%,50% 100%,100%\"]"
        guard let array = value.array else {
            reader.problem(
                "\(key) must be an array of strings, got \(ConfigurationReader.describe(value))", key: key, in: scope,
                hint: hint)
            return []
        }
        guard array.count <= Zone.maximumZones else {
            reader.problem(
                "\(key) has \(array.count) zones, more than \(Zone.maximumZones)", key: key, in: scope, hint: hint)
            return []
        }
        var zones: [Zone] = []
        for index in 0..<array.count {
            guard let text = array[index].string else {
                reader.problem("\(key)[\(index)] must be a string", key: key, in: scope, hint: hint)
                continue
            }
            do {
                zones.append(try Zone(parsing: text))
            } catch {
                reader.problem("\(key)[\(index)] \"\(text)\" \(error.description)", key: key, in: scope, hint: hint)
            }
        }
        return zones
    }
}
