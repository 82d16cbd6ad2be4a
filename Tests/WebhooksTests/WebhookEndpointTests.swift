import Testing
import Webhooks

@Suite struct WebhookEndpointTests {
    @Test func httpAndHttpsWithAHostAreAccepted() throws {
        #expect(
            try WebhookEndpoint("http://127.0.0.1:8123/api/webhook/door").description
                == "http://127.0.0.1:8123/api/webhook/door")
        #expect(try WebhookEndpoint("HTTPS://example.com").url == "HTTPS://example.com")
    }

    @Test func otherSchemesMissingHostsAndSpacesAreRefused() {
        for url in ["ftp://example.com/x", "file:///etc/passwd", "http:///path", "example.com/hook", "http://a b/"] {
            #expect(throws: WebhookEndpoint.Rejection.self, "\(url)") { try WebhookEndpoint(url) }
        }
        #expect(throws: WebhookEndpoint.Rejection.self) {
            try WebhookEndpoint("http://example.com/" + String(repeating: "a", count: 3000))
        }
    }

    @Test func passwordsAndQueriesNeverReachTheDescription() throws {
        let endpoint = try WebhookEndpoint("https://bob:hunter2@example.com:8443/hook?token=abc123")
        #expect(endpoint.description == "https://bob:***@example.com:8443/hook?***")
        #expect(!endpoint.description.contains("hunter2"))
        #expect(!endpoint.description.contains("abc123"))
        let rejected = #expect(throws: WebhookEndpoint.Rejection.self) {
            try WebhookEndpoint("gopher://bob:hunter2@example.com/")
        }
        #expect(rejected?.description.contains("hunter2") == false)
    }
}
