import Foundation

/// The connection's side of the shared state: what its thread takes, puts back and reports.
/// Called on the connection's thread only.
extension MQTTConnection {
    /// Whether `finish` was called, and its deadline.
    func stopState() -> (stop: Bool, deadline: ContinuousClock.Instant?) {
        shared.withLock { ($0.stopRequested, $0.flushDeadline) }
    }

    /// Whether nothing waits to be handed over (events, changed retained topics, files).
    func isDrained() -> Bool {
        shared.withLock { state in
            state.events.isEmpty && state.files.isEmpty && !state.retained.values.contains(where: \.dirty)
        }
    }

    /// The next message to hand over: a retained topic that changed and is due, then a file that
    /// has appeared, then the oldest event. After `finish` the intervals no longer hold back.
    func nextMessage() -> MQTTMessage? {
        let now = ContinuousClock.now
        let (message, fileToRead): (MQTTMessage?, (topic: String, path: String)?) = shared.withLock { state in
            for topic in state.retainedOrder {
                guard var entry = state.retained[topic], entry.dirty else { continue }
                if let last = entry.lastSent, !state.stopRequested, now - last < entry.minimumInterval { continue }
                entry.dirty = false
                entry.lastSent = now
                state.retained[topic] = entry
                return (entry.message, nil)
            }
            for (topic, file) in state.files {
                if now > file.deadline {
                    state.files[topic] = nil
                    continue
                }
                if FileManager.default.fileExists(atPath: file.path) {
                    state.files[topic] = nil
                    return (nil, (topic, file.path))
                }
            }
            guard !state.events.isEmpty else { return (nil, nil) }
            let event = state.events.removeFirst()
            state.statistics.queued = state.events.count
            return (event, nil)
        }
        if let message { return message }
        if let fileToRead {
            // Outside the lock: a snapshot is read from disk (at most maximumPayloadBytes).
            guard let bytes = Self.readBounded(fileToRead.path) else {
                logger.debug("MQTT: \(fileToRead.path) cannot be read or is too large; not published")
                return nextMessage()
            }
            let message = MQTTMessage(topic: fileToRead.topic, payload: bytes, retain: true)
            setRetained(message)
            return nextMessage()
        }
        return nil
    }

    /// A message libmosquitto did not take: an event goes back to the front of the queue, a
    /// retained topic is marked changed again (unless a newer value replaced it).
    func putBack(_ message: MQTTMessage) {
        shared.withLock { state in
            if message.retain {
                if var entry = state.retained[message.topic], entry.message == message {
                    entry.dirty = true
                    entry.lastSent = nil
                    state.retained[message.topic] = entry
                }
            } else {
                state.events.insert(message, at: 0)
                state.statistics.queued = state.events.count
            }
        }
    }

    /// Moves the acknowledgements counted by the link into the statistics.
    func recordAcknowledged(_ acknowledged: inout Int, inFlight: Int) {
        let count = acknowledged
        acknowledged = 0
        shared.withLock {
            $0.statistics.sent += count
            $0.statistics.inFlight = inFlight
        }
    }

    /// The broker accepted the connection: every retained topic is published again.
    func linkConnected() {
        let first = shared.withLock { state in
            state.statistics.connected = true
            state.statistics.connections += 1
            for topic in state.retainedOrder {
                state.retained[topic]?.dirty = true
                state.retained[topic]?.lastSent = nil
            }
            return state.statistics.connections == 1
        }
        logger.info("MQTT: connected to \(settings.address) as \(settings.clientID)\(first ? "" : " again")")
    }

    /// The connection dropped; logged once per loss.
    func linkLost() {
        let wasConnected = shared.withLock { state in
            defer { state.statistics.connected = false }
            return state.statistics.connected
        }
        if wasConnected {
            logger.warning(
                "MQTT: connection to \(settings.address) lost; reconnecting (events are queued, at most \(settings.queueCapacity))"
            )
        }
    }

    /// A problem that ends the connection: logged once as an error; queued events are dropped.
    func fail(_ error: MQTTClientError) {
        let first = shared.withLock { state in
            guard state.statistics.failure == nil else { return false }
            state.statistics.failure = error
            state.statistics.connected = false
            state.statistics.dropped += state.events.count
            state.events.removeAll()
            state.statistics.queued = 0
            return true
        }
        if first { logger.error("\(error.description)") }
    }

    /// The file's bytes, or nil when it cannot be read or is larger than `maximumPayloadBytes`.
    static func readBounded(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maximumPayloadBytes + 1), data.count <= maximumPayloadBytes
        else { return nil }
        return [UInt8](data)
    }
}
