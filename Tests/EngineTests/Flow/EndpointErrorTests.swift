import Testing
@testable import Engine

@Suite struct EndpointErrorTests {
    @Test func averagesDistancesAndSkipsUnknownTruth() {
        let truth = FlowField(width: 3, height: 1, u: [0, 1, 1e10], v: [0, 0, 0])
        let flow = FlowField(width: 3, height: 1, u: [3, 1, 100], v: [4, 1, 0])
        #expect(flow.averageEndpointError(to: truth) == 3)          // (5 + 1) / 2; the unknown pixel is skipped
        #expect(flow.averageEndpointError(to: truth, valid: [0, 1, 1]) == 1)
        #expect(flow.averageEndpointError(to: truth, valid: [0, 0, 1]) == nil)
    }
}
