import Foundation

extension TrackingEvaluation {
    /// The header of `tableRows` (Markdown).
    public static let tableHeader = """
        | scenario | face | present | detected | tracks | main-track coverage | id switches | fragmentations \
        | appeared | left | confirmed at detection | false tracks |
        |---|---|---|---|---|---|---|---|---|---|---|---|
        """

    /// One Markdown table row per face (false tracks on the scenario's first row).
    public var tableRows: [String] {
        faces.enumerated().map { index, face in
            let cells = [
                index == 0 ? "\(scenario.name) (\(scenario.summary))" : "", face.name, "\(face.presentFrames)",
                "\(face.detectedFrames)", "\(face.tracks.count)",
                String(format: "%.1f %%", face.coverage * 100), "\(face.idSwitches)", "\(face.fragmentations)",
                "\(face.appeared)", "\(face.left)", face.confirmedAtDetection.map { "\($0)" } ?? "-",
                index == 0 ? "\(falseTracks.count)" : "",
            ]
            return "| " + cells.joined(separator: " | ") + " |"
        }
    }
}
