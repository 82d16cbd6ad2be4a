import Testing

@testable import FaceStreamDaemon

/// `ReloadDiff`: which streams a reload keeps, restarts, adds and removes.
@Suite struct ReloadDiffTests {
    private func plans(_ streams: [StreamSettings], global: GlobalSettings = GlobalSettings()) -> [StreamPlan] {
        streams.map { StreamPlan($0, global: global) }
    }

    private let door = StreamSettings(name: "door", source: "rtsp://door")
    private let yard = StreamSettings(name: "yard", source: "/dev/video0")
    private let gate = StreamSettings(name: "gate", source: "gate.mp4")

    @Test func theFirstStartAddsEveryStreamInOrder() {
        let diff = ReloadDiff(running: [], next: plans([door, yard]))
        #expect(diff == ReloadDiff(added: ["door", "yard"]))
    }

    @Test func anUnchangedConfigurationKeepsEverything() {
        let diff = ReloadDiff(running: plans([door, yard]), next: plans([door, yard]))
        #expect(diff == ReloadDiff(kept: ["door", "yard"]))
    }

    @Test func aChangedStreamRestartsANewOneIsAddedAndAMissingOneRemoved() {
        var movedDoor = door
        movedDoor.threshold = 0.5
        let diff = ReloadDiff(running: plans([door, yard]), next: plans([gate, movedDoor]))
        #expect(diff == ReloadDiff(restarted: ["door"], added: ["gate"], removed: ["yard"]))
    }

    @Test func aGlobalSettingAStreamDependsOnRestartsIt() {
        var withOwnWorkers = yard
        withOwnWorkers.workers = 3
        var more = GlobalSettings()
        more.workers = 4
        // `door` takes the global worker count, `yard` its own: only `door` changes.
        let diff = ReloadDiff(
            running: plans([door, withOwnWorkers]), next: plans([door, withOwnWorkers], global: more))
        #expect(diff == ReloadDiff(kept: ["yard"], restarted: ["door"]))
    }

    @Test func aGlobalModelOrThreadChangeRestartsStreamsWithoutTheirOwnModel() {
        var ownModel = yard
        ownModel.model = "version-RFB-640.onnx"
        var global = GlobalSettings()
        global.model = "version-RFB-320.onnx"
        var next = global
        next.model = "version-RFB-640.onnx"
        let diff = ReloadDiff(
            running: plans([door, ownModel], global: global), next: plans([door, ownModel], global: next))
        #expect(diff == ReloadDiff(kept: ["yard"], restarted: ["door"]))
        next.threads = 2
        let threads = ReloadDiff(
            running: plans([door, ownModel], global: global), next: plans([door, ownModel], global: next))
        #expect(threads == ReloadDiff(restarted: ["door", "yard"]))
    }

    @Test func aLoggingOrIntervalChangeRestartsNothing() {
        var next = GlobalSettings()
        next.logLevel = .debug
        next.statusInterval = .seconds(5)
        next.stopTimeout = .seconds(2)
        let diff = ReloadDiff(running: plans([door, yard]), next: plans([door, yard], global: next))
        #expect(diff == ReloadDiff(kept: ["door", "yard"]))
    }

    @Test func removingEverythingRemovesInRunningOrder() {
        let diff = ReloadDiff(running: plans([yard, door]), next: [])
        #expect(diff == ReloadDiff(removed: ["yard", "door"]))
    }
}
