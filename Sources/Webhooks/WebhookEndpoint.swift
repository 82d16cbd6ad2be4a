import Foundation

/// A validated webhook URL: http or https, a host, no spaces or control characters, at most
/// `WebhookLimits.maximumURLBytes`. Its `description` never shows a password or a query string
/// (either may carry a secret), so it is what logs and messages use.
public struct WebhookEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The URL as given, handed to libcurl unchanged.
    public let url: String
    /// The URL for logs: `https://user:***@host:port/path?***`.
    public let description: String

    /// Why a URL cannot be used, in words for the user (the URL itself redacted).
    public struct Rejection: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Validates `url`.
    public init(_ url: String) throws(Rejection) {
        guard url.utf8.count <= WebhookLimits.maximumURLBytes else {
            throw Rejection(
                description: "the webhook URL has \(url.utf8.count) bytes, more than \(WebhookLimits.maximumURLBytes)")
        }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) else {
            throw Rejection(description: "the webhook URL contains a space or a control character; percent-encode it")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw Rejection(description: "the webhook URL is not a URL; give http://HOST/PATH or https://HOST/PATH")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Rejection(description: "the webhook URL must start with http:// or https://, not \(scheme)://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Rejection(description: "the webhook URL has no host; give http://HOST/PATH or https://HOST/PATH")
        }
        self.url = url
        var shown = scheme + "://"
        if let user = components.percentEncodedUser {
            shown += user + (components.percentEncodedPassword != nil ? ":***" : "") + "@"
        }
        shown += components.percentEncodedHost ?? host
        if let port = components.port { shown += ":\(port)" }
        shown += components.percentEncodedPath
        if components.percentEncodedQuery != nil { shown += "?***" }
        description = shown
    }
}
