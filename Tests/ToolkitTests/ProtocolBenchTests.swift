import Testing
import Toolkit

@Suite struct ProtocolBenchTests {
    /// The bench runs end to end on a tiny frame and reports every measurement; no time is checked.
    @Test func reportsEveryMeasurement() throws {
        var rng = SplitMix64(seed: 51)
        let results = try ProtocolBench.run(frames: [("tiny", 7, 5, rng.bytes(105))], repetitions: 2, messages: 3)
        #expect(results.map(\.name) == ["frame.encode.tiny", "frame.decode.tiny", "loopback.result.tiny"])
        #expect(results.allSatisfy { $0.rawBytes == 105 && $0.bytes > 12 && $0.seconds >= 0 })
        #expect(results[0].description.contains(#""bench":"frame.encode.tiny""#) && !results[0].description.contains("\n"))
    }
}
