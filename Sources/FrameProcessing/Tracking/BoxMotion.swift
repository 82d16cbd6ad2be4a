import VideoCore

/// The motion model of one track: a constant-velocity Kalman filter on the box's centre, width
/// and height (as SORT does on centre, area and aspect ratio; width and height keep the four
/// axes independent, so each is a 2-state filter). Time is stream time in seconds, so analysing
/// every frame, every third or a dropping live source predict the same motion.
struct BoxMotion: Sendable, Equatable {
    private var centreX: ConstantVelocityFilter
    private var centreY: ConstantVelocityFilter
    private var width: ConstantVelocityFilter
    private var height: ConstantVelocityFilter

    /// Noise relative to the box size: faces of any size move alike in proportion.
    private let scale: Float

    /// A track starting at `box`, at rest.
    init(box: BoundingBox) {
        let side = max(1, max(box.width, box.height))
        scale = side
        let positionVariance = (0.1 * side) * (0.1 * side)
        // A face can cross its own width in a second or less: that is the velocity uncertainty.
        let velocityVariance = (2 * side) * (2 * side)
        centreX = ConstantVelocityFilter(
            position: (box.x1 + box.x2) / 2, positionVariance: positionVariance, velocityVariance: velocityVariance)
        centreY = ConstantVelocityFilter(
            position: (box.y1 + box.y2) / 2, positionVariance: positionVariance, velocityVariance: velocityVariance)
        width = ConstantVelocityFilter(
            position: box.width, positionVariance: positionVariance, velocityVariance: velocityVariance / 4)
        height = ConstantVelocityFilter(
            position: box.height, positionVariance: positionVariance, velocityVariance: velocityVariance / 4)
    }

    /// The box the filter expects now.
    var box: BoundingBox {
        let halfWidth = max(0.5, width.position) / 2
        let halfHeight = max(0.5, height.position) / 2
        return BoundingBox(
            x1: centreX.position - halfWidth, y1: centreY.position - halfHeight, x2: centreX.position + halfWidth,
            y2: centreY.position + halfHeight)
    }

    /// Moves the expected box `seconds` ahead.
    mutating func predict(seconds: Float) {
        let dt = max(0, seconds)
        let q = (0.5 * scale) * (0.5 * scale)
        centreX.predict(seconds: dt, accelerationNoise: q)
        centreY.predict(seconds: dt, accelerationNoise: q)
        width.predict(seconds: dt, accelerationNoise: q / 4)
        height.predict(seconds: dt, accelerationNoise: q / 4)
    }

    /// Corrects it with a detected box.
    mutating func update(with box: BoundingBox) {
        let r = (0.05 * scale) * (0.05 * scale)
        centreX.update(measurement: (box.x1 + box.x2) / 2, measurementNoise: r)
        centreY.update(measurement: (box.y1 + box.y2) / 2, measurementNoise: r)
        width.update(measurement: box.width, measurementNoise: 4 * r)
        height.update(measurement: box.height, measurementNoise: 4 * r)
    }
}
