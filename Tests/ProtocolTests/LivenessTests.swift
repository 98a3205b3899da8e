import Testing
import Protocol

@Suite struct LivenessTests {
    @Test func leaseOutlastsPeerExpiry() {
        #expect(Liveness.peerExpiry == .seconds(3))
        #expect(Liveness.workerLease > Liveness.peerExpiry)
    }
}
