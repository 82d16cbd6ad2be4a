extension TrackingEvaluation {
    /// Issue 11's requirements that this scenario breaks (empty when it meets them all): no id
    /// switch on paths that do not cross, at most one per crossing, every face covered by its
    /// main track in at least 95 % of the frames where it is detected, one `appeared` and one
    /// `left` per face, `appeared` written with its confirming frame's line. The face must also be
    /// detected in at least half of the frames where it is present (else the rest says little).
    public var unmetRequirements: [String] {
        var problems: [String] = []
        let switches = faces.reduce(0) { $0 + $1.idSwitches }
        if switches > scenario.crossings {
            problems.append("\(switches) id switches, \(scenario.crossings) allowed (one per crossing)")
        }
        for face in faces {
            let name = "\(scenario.name)/\(face.name)"
            if face.detectedFrames * 2 < face.presentFrames {
                problems.append("\(name): detected in \(face.detectedFrames) of \(face.presentFrames) frames")
            }
            if face.coverage < 0.95 {
                problems.append(
                    "\(name): main track covers \(face.coveredFrames) of \(face.detectedFrames) detected frames")
            }
            if face.appeared != 1 || face.left != 1 {
                problems.append("\(name): \(face.appeared) appeared and \(face.left) left events (one each expected)")
            }
        }
        return problems + latencyProblems.map { "\(scenario.name): \($0)" }
    }
}
