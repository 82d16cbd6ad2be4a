internal import CMosquitto
import Foundation
import Logging
import VideoCore

/// libmosquitto's client object and the state its callbacks change, confined to the
/// connection's thread: every libmosquitto call and every callback happens on that thread (the
/// callbacks run inside `mosquitto_loop`, `mosquitto_publish` and the connect calls made here),
/// so nothing here needs a lock. `run(_:)` is the thread's whole life.
final class MosquittoLink {
    /// Where the connection stands.
    enum State {
        /// No socket; the next attempt is due at `nextAttempt`.
        case idle
        /// A connect was started at `since`; waiting for the broker's CONNACK.
        case connecting(since: ContinuousClock.Instant)
        /// The broker accepted the connection.
        case connected
        /// Credentials refused or TLS failed: no more attempts.
        case failed(MQTTClientError)
    }

    private let handle: OpaquePointer
    private let connection: MQTTConnection
    private(set) var state = State.idle
    /// Message ids handed to libmosquitto and not yet acknowledged.
    private(set) var inFlight: Set<Int32> = []
    /// Set by the publish callback: acknowledged messages since the last look.
    private var acknowledged = 0
    /// The last error libmosquitto logged (OpenSSL's reason on a TLS failure).
    private var lastLibraryError: String?
    private var everConnected = false
    /// Set by `sayGoodbye`: the disconnect that follows is ours, not a loss.
    private var closing = false

    /// libmosquitto's global set-up, once per process (`mosquitto_lib_init` is not thread-safe;
    /// a Swift global is initialised exactly once).
    private static let libraryReady: Bool = {
        mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue
    }()

    private init?(connection: MQTTConnection) {
        guard Self.libraryReady, let handle = mosquitto_new(connection.settings.clientID, true, nil) else {
            return nil
        }
        self.handle = handle
        self.connection = connection
    }

    deinit {
        mosquitto_destroy(handle)
    }

    /// The connection's thread: connects, reconnects with back-off, hands queued messages over
    /// while connected, and at `finish` flushes, publishes the will's payload and disconnects.
    static func run(_ connection: MQTTConnection) {
        guard let link = MosquittoLink(connection: connection) else {
            connection.fail(MQTTClientError(.badAddress, "the MQTT client could not be created (out of memory?)"))
            return
        }
        // Lifetime: libmosquitto keeps this pointer as the callbacks' `obj`; it is unretained and
        // valid because the callbacks run only inside calls this link makes on its own handle,
        // and the handle is destroyed in the link's deinit, after the last such call.
        mosquitto_user_data_set(link.handle, Unmanaged.passUnretained(link).toOpaque())
        if let failure = link.configure() {
            connection.fail(failure)
            return
        }
        link.loop()
    }

    /// Credentials, will, TLS and the callbacks; nil when all were accepted.
    private func configure() -> MQTTClientError? {
        let settings = connection.settings
        _ = mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311)
        _ = mosquitto_max_inflight_messages_set(handle, UInt32(settings.inFlightLimit))
        if let user = settings.address.user {
            guard mosquitto_username_pw_set(handle, user, settings.password) == MOSQ_ERR_SUCCESS.rawValue else {
                return MQTTClientError(.badAddress, "the MQTT user name or password is not valid UTF-8 text")
            }
        }
        if let will = settings.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                // The bytes are copied by libmosquitto before it returns.
                mosquitto_will_set(handle, will.topic, Int32(bytes.count), bytes.baseAddress, 1, will.retain)
            }
            guard rc == MOSQ_ERR_SUCCESS.rawValue else {
                return MQTTClientError(.badAddress, "the MQTT status topic \(will.topic) is not a valid topic")
            }
        }
        if settings.address.usesTLS {
            let rc: Int32
            if let ca = settings.certificateAuthorityFile {
                rc = mosquitto_tls_set(handle, ca, nil, nil, nil, nil)
            } else {
                rc = mosquitto_int_option(handle, MOSQ_OPT_TLS_USE_OS_CERTS, 1)
            }
            guard rc == MOSQ_ERR_SUCCESS.rawValue else {
                return MQTTClientError(
                    .tls, "the MQTT CA file \(settings.certificateAuthorityFile ?? "") cannot be used for TLS")
            }
        }
        mosquitto_connect_callback_set(handle) { _, object, code in
            MosquittoLink.from(object).connected(code: code)
        }
        mosquitto_disconnect_callback_set(handle) { _, object, _ in
            MosquittoLink.from(object).disconnected()
        }
        mosquitto_publish_callback_set(handle) { _, object, messageID in
            MosquittoLink.from(object).acknowledge(messageID)
        }
        mosquitto_log_callback_set(handle) { _, object, level, text in
            guard let text, level & Int32(MOSQ_LOG_ERR) != 0 else { return }
            MosquittoLink.from(object).lastLibraryError = String(cString: text)
        }
        return nil
    }

    /// The link behind a callback's `obj` (see the lifetime rule in `run`).
    private static func from(_ object: UnsafeMutableRawPointer?) -> MosquittoLink {
        guard let object else { preconditionFailure("libmosquitto callback without its link") }
        return Unmanaged<MosquittoLink>.fromOpaque(object).takeUnretainedValue()
    }

    // MARK: callbacks (connection's thread)

    private func connected(code: Int32) {
        if code == 0 {
            state = .connected
            everConnected = true
            connection.linkConnected()
            return
        }
        let address = connection.settings.address
        switch code {
        case 4, 5:
            state = .failed(
                MQTTClientError(
                    .refused,
                    "the MQTT broker \(address) refused "
                        + (address.user == nil ? "a client without user name" : "user \"\(address.user!)\"")
                        + " (\(code == 4 ? "bad user name or password" : "not authorised")); "
                        + "check the user in the URL and --mqtt-password-file ([mqtt] password_file)"))
        case 2:
            state = .failed(
                MQTTClientError(
                    .refused,
                    "the MQTT broker \(address) refused the client id \"\(connection.settings.clientID)\"; "
                        + "choose another with --mqtt-client-id ([mqtt] client_id)"))
        case 1:
            state = .failed(
                MQTTClientError(.refused, "the MQTT broker \(address) does not speak MQTT 3.1.1"))
        default:
            // 3: server unavailable; try again later.
            state = .idle
        }
    }

    private func disconnected() {
        if case .failed = state { return }
        if closing {
            state = .idle
            return
        }
        if case .connected = state { connection.linkLost() }
        state = .idle
    }

    private func acknowledge(_ messageID: Int32) {
        if inFlight.remove(messageID) != nil { acknowledged += 1 }
    }

    // MARK: the thread's loop

    private func loop() {
        let settings = connection.settings
        var failures = 0
        var nextAttempt = ContinuousClock.now
        var reportedUnreachable = false
        running: while true {
            let now = ContinuousClock.now
            let (stop, deadline) = connection.stopState()
            if stop {
                let drained = connection.isDrained() && inFlight.isEmpty
                if case .failed = state { break }
                if drained, case .connected = state { break }
                if let deadline, now >= deadline { break }
            }
            switch state {
            case .failed:
                break
            case .idle:
                if now >= nextAttempt {
                    let rc =
                        everConnected || failures > 0
                        ? mosquitto_reconnect_async(handle)
                        : mosquitto_connect_async(
                            handle, settings.address.host, Int32(settings.address.port),
                            Int32(settings.keepAlive.components.seconds))
                    if rc == MOSQ_ERR_SUCCESS.rawValue {
                        state = .connecting(since: now)
                    } else if rc == MOSQ_ERR_TLS.rawValue {
                        // The handshake can fail inside the connect call itself (a fast broker).
                        let error = tlsFailure()
                        state = .failed(error)
                        connection.fail(error)
                        break running
                    } else {
                        failures += 1
                        let delay = backoff(failures)
                        nextAttempt = now + delay
                        if !reportedUnreachable || failures == 1 {
                            reportedUnreachable = true
                            connection.logger.warning(
                                "MQTT broker \(settings.address) is unreachable (\(Self.describe(rc))); retrying with back-off up to \(settings.maximumReconnectDelay) (events are queued, at most \(settings.queueCapacity))"
                            )
                        }
                    }
                } else {
                    Thread.sleep(forTimeInterval: 0.05)
                }
                continue
            case .connecting(let since):
                if now - since > settings.connectTimeout {
                    mosquitto_disconnect(handle)
                    state = .idle
                    failures += 1
                    nextAttempt = now + backoff(failures)
                    connection.logger.warning(
                        "MQTT broker \(settings.address) did not answer within \(settings.connectTimeout); retrying")
                    continue
                }
            case .connected:
                if failures > 0 || reportedUnreachable {
                    failures = 0
                    reportedUnreachable = false
                }
                handOver()
            }
            if case .failed(let error) = state {
                connection.fail(error)
                break
            }
            let rc = mosquitto_loop(handle, 50, 1)
            connection.recordAcknowledged(&acknowledged, inFlight: inFlight.count)
            if case .failed(let error) = state {
                connection.fail(error)
                break
            }
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                if rc == MOSQ_ERR_TLS.rawValue {
                    let error = tlsFailure()
                    state = .failed(error)
                    connection.fail(error)
                    break
                }
                if case .connected = state { connection.linkLost() }
                if case .connecting = state {
                    failures += 1
                    if failures == 1 {
                        connection.logger.warning(
                            "MQTT broker \(settings.address) is unreachable (\(Self.describe(rc))); retrying with back-off up to \(settings.maximumReconnectDelay) (events are queued, at most \(settings.queueCapacity))"
                        )
                        reportedUnreachable = true
                    }
                } else {
                    failures += 1
                }
                state = .idle
                nextAttempt = now + backoff(failures)
            }
        }
        if case .connected = state {
            sayGoodbye()
        }
    }

    /// The failed TLS handshake as one line, with OpenSSL's reason when libmosquitto logged one.
    private func tlsFailure() -> MQTTClientError {
        let reason = lastLibraryError.map { " (\($0))" } ?? ""
        return MQTTClientError(
            .tls,
            "TLS with the MQTT broker \(connection.settings.address) failed\(reason); check that --mqtt-ca ([mqtt] ca) names the CA that signed the broker's certificate and that the certificate names the host"
        )
    }

    /// The wait before attempt `failures + 1`: the initial delay doubled per failure, capped (the
    /// sources' `ReconnectPolicy`).
    private func backoff(_ failures: Int) -> Duration {
        let settings = connection.settings
        return ReconnectPolicy(
            initialDelay: settings.initialReconnectDelay, maximumDelay: settings.maximumReconnectDelay
        ).delay(beforeAttempt: max(1, failures))
    }

    /// Hands queued messages to libmosquitto while fewer than `inFlightLimit` are unacknowledged.
    private func handOver() {
        while inFlight.count < connection.settings.inFlightLimit, case .connected = state {
            guard let message = connection.nextMessage() else { return }
            var messageID: Int32 = 0
            let rc = message.payload.withUnsafeBytes { bytes in
                // libmosquitto copies the payload before it returns.
                mosquitto_publish(
                    handle, &messageID, message.topic, Int32(bytes.count), bytes.baseAddress, 1, message.retain)
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                inFlight.insert(messageID)
            } else {
                connection.putBack(message)
                return
            }
        }
    }

    /// A clean exit: the will's payload published (retained) and acknowledged, then DISCONNECT
    /// (after which the broker does not send the will).
    private func sayGoodbye() {
        closing = true
        if let will = connection.settings.will {
            var messageID: Int32 = 0
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_publish(handle, &messageID, will.topic, Int32(bytes.count), bytes.baseAddress, 1, will.retain)
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                inFlight.insert(messageID)
                let limit = ContinuousClock.now + .seconds(2)
                while inFlight.contains(messageID), ContinuousClock.now < limit {
                    if mosquitto_loop(handle, 50, 1) != MOSQ_ERR_SUCCESS.rawValue { break }
                }
                connection.recordAcknowledged(&acknowledged, inFlight: inFlight.count)
            }
        }
        mosquitto_disconnect(handle)
        _ = mosquitto_loop(handle, 50, 1)
    }

    /// A short text for a libmosquitto result (errno's text for system errors).
    static func describe(_ code: Int32) -> String {
        if code == MOSQ_ERR_ERRNO.rawValue { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(code))
    }
}
