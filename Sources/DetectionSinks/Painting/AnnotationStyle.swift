/// How `FramePainter` marks a face in an annotated picture.
public enum AnnotationStyle: String, Sendable, CaseIterable {
    /// A coloured rectangle outline around the face; the face stays visible.
    case box
    /// A strong blur inside the face box (several passes of a separable box blur).
    case blur
    /// Blocks of averaged colour inside the face box (about eight blocks across the face).
    case pixelate
    /// The face box filled with black.
    case solid
}
