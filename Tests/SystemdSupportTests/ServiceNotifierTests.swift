import Foundation
import SystemdSupport
import TestSupport
import Testing

@Suite struct ServiceNotifierTests {
    @Test func sendsOneDatagramPerMessageToAPathSocket() throws {
        let listener = try NotifyListener()
        let notifier = try #require(try ServiceNotifier(environment: ["NOTIFY_SOCKET": listener.address]))
        try notifier.send([.ready, .status("2 streams\nrunning")])
        try notifier.send([.watchdog])
        let first = try listener.wait { _ in true }
        #expect(first == "READY=1\nSTATUS=2 streams running")
        let second = try listener.wait { _ in true }
        #expect(second == "WATCHDOG=1")
    }

    @Test func reachesTheAbstractNamespace() throws {
        let listener = try NotifyListener(abstract: true)
        #expect(listener.address.hasPrefix("@"))
        let notifier = try ServiceNotifier(address: listener.address)
        try notifier.send([.stopping])
        #expect(try listener.wait { _ in true } == "STOPPING=1")
    }

    @Test func noSocketMeansNoNotifier() throws {
        #expect(try ServiceNotifier(environment: [:]) == nil)
        #expect(try ServiceNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
    }

    @Test func rejectsARelativeAddress() {
        #expect(throws: NotifyError.self) { try ServiceNotifier(address: "relative/socket") }
    }

    @Test func reportsAMissingSocket() throws {
        let notifier = try ServiceNotifier(address: NSTemporaryDirectory() + "no-such-socket-\(UUID().uuidString)")
        let error = #expect(throws: NotifyError.self) { try notifier.send([.ready]) }
        #expect(error?.operation == "sendto")
        #expect(error?.code == ENOENT)
    }
}
