import Testing
import Coordinator

@Suite struct ProtocolBenchTests {
    /// The bench runs end to end on a tiny frame and reports every measurement; no time is checked.
    @Test func reportsEveryMeasurement() throws {
        let pixels = (0..<105).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let results = try ProtocolBench.run(frames: [("tiny", 7, 5, pixels)], repetitions: 2, messages: 3)
        #expect(results.map(\.name) == ["frame.encode.tiny", "frame.decode.tiny", "loopback.result.tiny"])
        #expect(results.allSatisfy { $0.rawBytes == 105 && $0.bytes > 12 && $0.seconds >= 0 })
        #expect(results[0].description.contains(#""bench":"frame.encode.tiny""#) && !results[0].description.contains("\n"))
    }
}
