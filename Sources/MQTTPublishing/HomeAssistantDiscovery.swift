import DetectionSinks

/// Home Assistant MQTT discovery configs (retained on `<discovery prefix>/<component>/N/<object>/config`)
/// for one stream: a `binary_sensor` (occupancy: a face present), a `sensor` (face count) and,
/// with snapshots, a `camera`; all in one device per node, unavailable when `P/N/status` is
/// `offline`. Unique ids are `facestream_<node>_<stream>_<what>`, stable across restarts.
struct HomeAssistantDiscovery {
    let topics: MQTTTopics

    /// (topic, JSON payload) of the configs of `stream`.
    func configs(stream: String, camera: Bool) -> [(topic: String, payload: String)] {
        var configs = [
            entity(
                "binary_sensor", stream: stream, what: "face", name: "\(stream) face",
                fields: [
                    ("device_class", q("occupancy")), ("state_topic", q(topics.state(stream))),
                    ("value_template", q("{{ 'ON' if value_json.faces > 0 else 'OFF' }}")),
                ]),
            entity(
                "sensor", stream: stream, what: "faces", name: "\(stream) faces",
                fields: [
                    ("state_topic", q(topics.state(stream))), ("value_template", q("{{ value_json.faces }}")),
                    ("unit_of_measurement", q("faces")), ("state_class", q("measurement")),
                    ("icon", q("mdi:face-recognition")),
                ]),
        ]
        if camera { configs.append(cameraConfig(stream: stream)) }
        return configs
    }

    /// The camera entity showing `P/S/snapshot`.
    func cameraConfig(stream: String) -> (topic: String, payload: String) {
        entity(
            "camera", stream: stream, what: "snapshot", name: "\(stream) snapshot",
            fields: [("topic", q(topics.snapshot(stream)))])
    }

    private func entity(
        _ component: String, stream: String, what: String, name: String, fields: [(String, String)]
    ) -> (topic: String, payload: String) {
        let id = "facestream_\(topics.node)_\(stream)_\(what)"
        var all: [(String, String)] = [
            ("name", q(name)), ("unique_id", q(id)), ("object_id", q(id)),
        ]
        all += fields
        all += [
            ("availability_topic", q(topics.status)), ("payload_available", q("online")),
            ("payload_not_available", q("offline")),
            (
                "device",
                "{\"identifiers\":[\(q("facestream_\(topics.node)"))],\"name\":\(q("FaceStream \(topics.node)")),"
                    + "\"manufacturer\":\"FaceStream\",\"model\":\"facestream\"}"
            ),
        ]
        let payload = "{" + all.map { "\(q($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        return (topics.discovery(component: component, object: "\(stream)_\(what)"), payload)
    }

    private func q(_ text: String) -> String { JSONText.string(text) }
}
