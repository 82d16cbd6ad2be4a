import DetectionSinks

/// The topics FaceStream publishes on (`P` = prefix, `S` = stream name, `N` = node id).
struct MQTTTopics: Sendable {
    let prefix: String
    let node: String
    let discoveryPrefix: String

    /// `P/N/status`: `online` (retained) while connected, `offline` (retained, also the last will).
    var status: String { "\(prefix)/\(node)/status" }
    /// `P/S/events`: each event line, QoS 1, not retained.
    func events(_ stream: String) -> String { "\(prefix)/\(stream)/events" }
    /// `P/S/state`: retained `{"faces":N,"tracks":[ids],"ts":"..."}`.
    func state(_ stream: String) -> String { "\(prefix)/\(stream)/state" }
    /// `P/S/snapshot`: retained JPEG of the latest snapshot.
    func snapshot(_ stream: String) -> String { "\(prefix)/\(stream)/snapshot" }
    /// `<discovery prefix>/<component>/N/<object>/config`.
    func discovery(component: String, object: String) -> String {
        "\(discoveryPrefix)/\(component)/\(node)/\(object)/config"
    }
}
