/// The scenarios issue 11 asks for, 640x480 at 25 fps; the default `--track-max-age` is 1 s (25 frames).
extension TrackingScenario {
    public static let all: [TrackingScenario] = [enterAndLeave, crossing, crossingBehind, hidden, still, severalApart]

    /// (a) A face enters at the left edge, crosses the picture and leaves on the right (at 150 px/s);
    /// the clip goes on for 1.4 s after it has gone, so its track ends by age.
    public static let enterAndLeave = TrackingScenario(
        name: "enter-leave", summary: "enters left, leaves right", frameCount: 160,
        faces: [ScriptedFace("A", .a, start: (-100, 180), step: (6, 0))], crossings: 0)

    /// (b) Two faces cross: A goes right, B left, 40 px lower, drawn over A (A's face is half
    /// covered for a few frames as they pass).
    public static let crossing = TrackingScenario(
        name: "crossing", summary: "two faces cross, one in front", frameCount: 130,
        faces: [
            ScriptedFace("A", .a, start: (20, 150), step: (4, 0)),
            ScriptedFace("B", .b, start: (524, 190), step: (-4, 0)),
        ], crossings: 1)

    /// (b') Two faces cross on the same row: B passes in front of A and covers it wholly for
    /// about half a second, while both move.
    public static let crossingBehind = TrackingScenario(
        name: "crossing-behind", summary: "one face passes in front of another", frameCount: 130,
        faces: [
            ScriptedFace("A", .a, start: (20, 180), step: (4, 0)),
            ScriptedFace("B", .b, start: (524, 180), step: (-4, 0)),
        ], crossings: 1)

    /// (c) A moving face hidden for 0.6 s (frames 50-64, shorter than the 1 s maximum age), then
    /// seen again where its motion has taken it.
    public static let hidden = TrackingScenario(
        name: "hidden", summary: "moving face hidden 0.6 s", frameCount: 125,
        faces: [ScriptedFace("C", .c, start: (40, 180), step: (4, 0), hidden: 50...64)], crossings: 0)

    /// (d) A face that does not move for 4 s.
    public static let still = TrackingScenario(
        name: "still", summary: "one face, no motion", frameCount: 100,
        faces: [ScriptedFace("D", .d, start: (270, 180))], crossings: 0)

    /// (e) Five faces at once on paths that never meet: two rows moving in opposite directions
    /// (the faces of a row keep their distance) and one still face below.
    public static let severalApart = TrackingScenario(
        name: "five-apart", summary: "five faces, parallel paths", frameCount: 100,
        faces: [
            ScriptedFace("A", .a, start: (20, 10), step: (2, 0)),
            ScriptedFace("C", .c, start: (300, 10), step: (2, 0)),
            ScriptedFace("B", .b, start: (220, 170), step: (-2, 0)),
            ScriptedFace("E", .e, start: (500, 170), step: (-2, 0)),
            ScriptedFace("D", .d, start: (270, 340)),
        ], crossings: 0)
}
