/// What `--webhook` (or a stream's `webhook` keys) asks for: every track event POSTed as JSON.
public struct WebhookRequest: Sendable, Equatable {
    /// Where the events go.
    public var endpoint: WebhookEndpoint
    /// A file holding the HMAC secret; nil: requests are not signed. Read when the output opens.
    public var secretFile: String?
    /// Longest time one attempt may take, connecting included.
    public var timeout: Duration

    /// A request for `endpoint`, signed with the secret in `secretFile`, each attempt bounded by `timeout`.
    public init(endpoint: WebhookEndpoint, secretFile: String? = nil, timeout: Duration = WebhookLimits.defaultTimeout)
    {
        self.endpoint = endpoint
        self.secretFile = secretFile
        self.timeout = timeout
    }
}
