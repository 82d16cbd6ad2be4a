/// A one-dimensional constant-velocity Kalman filter: state (position, velocity per second) with
/// its 2x2 covariance. `BoxMotion` runs four of them, one per box coordinate.
///
/// Model: x' = x + v dt, v' = v; process noise from a white acceleration of spectral density
/// `accelerationNoise` (Q = q [dt^3/3, dt^2/2; dt^2/2, dt]); measurement of the position with
/// variance `measurementNoise`. All values are stored inline: no allocation.
struct ConstantVelocityFilter: Sendable, Equatable {
    private(set) var position: Float
    private(set) var velocity: Float = 0
    // Covariance [[p00, p01], [p01, p11]].
    private var p00: Float
    private var p01: Float = 0
    private var p11: Float

    /// Starts at `position` with no velocity; the velocity is uncertain (`velocityVariance`).
    init(position: Float, positionVariance: Float, velocityVariance: Float) {
        self.position = position
        p00 = positionVariance
        p11 = velocityVariance
    }

    /// Moves the state `dt` seconds ahead (dt >= 0).
    mutating func predict(seconds dt: Float, accelerationNoise q: Float) {
        position += velocity * dt
        // P = F P F^T + Q with F = [1 dt; 0 1].
        let n00 = p00 + 2 * dt * p01 + dt * dt * p11 + q * dt * dt * dt / 3
        let n01 = p01 + dt * p11 + q * dt * dt / 2
        let n11 = p11 + q * dt
        (p00, p01, p11) = (n00, n01, n11)
    }

    /// Corrects the state with a measured position.
    mutating func update(measurement z: Float, measurementNoise r: Float) {
        let innovation = z - position
        let s = p00 + r
        let k0 = p00 / s
        let k1 = p01 / s
        position += k0 * innovation
        velocity += k1 * innovation
        // P = (I - K H) P with H = [1 0].
        let n00 = (1 - k0) * p00
        let n01 = (1 - k0) * p01
        let n11 = p11 - k1 * p01
        (p00, p01, p11) = (n00, n01, n11)
    }
}
