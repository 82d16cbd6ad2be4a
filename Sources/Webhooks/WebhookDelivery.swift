import CoreSupport

/// One event waiting to be POSTed: the body and the headers that go with it.
public struct WebhookDelivery: Sendable, Equatable {
    /// The request body: the event's JSON line without its newline.
    public var body: [UInt8]
    /// `appeared` or `left` (the `X-FaceStream-Event` header).
    public var event: String

    /// A delivery of `body` for an event of kind `event`.
    public init(body: [UInt8], event: String) {
        self.body = body
        self.event = event
    }

    /// The headers of the request, signed with `secret` when there is one:
    /// `X-FaceStream-Signature: sha256=<hex HMAC-SHA256 of the body>`.
    func headers(secret: WebhookSecret?) -> [String] {
        var headers = ["Content-Type: application/json", "X-FaceStream-Event: \(event)"]
        if let secret {
            headers.append("X-FaceStream-Signature: sha256=" + HMACSHA256.hex(for: body, key: secret.key))
        }
        return headers
    }
}
