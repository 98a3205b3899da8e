import Testing
import Protocol

@Suite struct LivenessTests {
    @Test func leaseOutlastsPeerExpiry() {
        #expect(Liveness.peerExpiry == .seconds(3))
        #expect(Liveness.workerLease > Liveness.peerExpiry)
    }

    /// The defaults pass the checks `serve` and `vst-worker` apply to the values users give.
    @Test func defaultsPassTheirOwnChecks() {
        #expect(Liveness.heartbeatRange.contains(Liveness.heartbeatInterval))
        #expect(Liveness.workerLease >= Liveness.heartbeatInterval * Liveness.minimumLeaseHeartbeats)
        // A send blocked on a full peer must give up before that peer would count as dead.
        #expect(Liveness.sendTimeout < Liveness.peerExpiry)
    }

    /// What the help texts print in place of the numbers they used to retype.
    @Test func helpTextsWriteDurationsAsPlainNumbers() {
        #expect(Liveness.workerLease.secondsText == "10")
        #expect(Liveness.workerLease.millisecondsText == "10000")
        #expect(Liveness.heartbeatRange.lowerBound.secondsText == "0.05")
        #expect(Liveness.heartbeatRange.upperBound.secondsText == "3600")
        #expect(Duration.milliseconds(1500).seconds == 1.5)
    }
}
