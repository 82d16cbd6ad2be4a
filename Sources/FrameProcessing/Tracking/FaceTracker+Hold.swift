import VideoCore

extension FaceTracker {
    /// The stream time of `frame` in seconds, as the tracker counts it: its timestamp, or its
    /// index at the assumed frame rate when it has none.
    func streamTime(of frame: VideoFrame) -> Double {
        frame.pts ?? Double(frame.index) / settings.assumedFrameRate
    }

    /// Appends to `faces` the predicted box of every confirmed track whose last match lies at
    /// most `hold` seconds before `time`, moved ahead from the tracker's latest frame to `time`
    /// (the filters themselves are not changed). With `unmatchedOnly`, tracks matched at the
    /// latest analysed frame are left out (their detections are shown already). Each appended
    /// face carries the track's id and its latest score. Costs a few multiplications per track.
    func appendHeldFaces(at time: Double, hold: Double, unmatchedOnly: Bool, to faces: inout [Detection]) {
        guard let lastTime else { return }
        let ahead = Float(max(0, time - lastTime))
        for track in tracks {
            guard let id = track.id, time - track.lastMatch <= hold + 1e-6 else { continue }
            if unmatchedOnly, track.lastMatch >= lastTime { continue }
            var motion = track.motion
            motion.predict(seconds: ahead)
            faces.append(Detection(box: motion.box, score: track.latest.score, classIndex: 1, label: "face", track: id))
        }
    }
}
