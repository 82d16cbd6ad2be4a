/// Class names of the UltraFace models, by class index (0 is the background and never reported).
public enum FaceLabels {
    /// `["BACKGROUND", "face"]` for 2 classes, `["BACKGROUND", "face", "masked_face"]` for 3;
    /// further classes are named `class<N>`.
    public static func names(classCount: Int) -> [String] {
        let known = ["BACKGROUND", "face", "masked_face"]
        return (0..<classCount).map { $0 < known.count ? known[$0] : "class\($0)" }
    }
}
