import Foundation
import Testing
@testable import Engine

@Suite struct FloFileTests {
    @Test func encodeFollowsTheMiddleburySpec() {
        let flow = FlowField(width: 3, height: 2, u: [1, 2, 3, 4, 5, 6], v: [-1, -2, -3, -4, -5, -6.5])
        let bytes = FloFile.encode(flow)
        #expect(bytes.count == 12 + 8 * 6)
        func word(_ i: Int) -> UInt32 { UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24 }
        #expect(Float(bitPattern: word(0)) == 202021.25)
        #expect(Array(bytes[0..<4]) == [0x50, 0x49, 0x45, 0x48])   // "PIEH", the magic's little-endian bytes
        #expect(word(4) == 3 && word(8) == 2)
        // Row-major, u and v interleaved: pixel (x=2, y=1) is index 5 -> bytes 12 + 40.
        #expect(Float(bitPattern: word(12 + 40)) == 6 && Float(bitPattern: word(16 + 40)) == -6.5)
        #expect(Float(bitPattern: word(12)) == 1 && Float(bitPattern: word(16)) == -1)
    }

    @Test func roundTripsThroughAFile() throws {
        var rng = FlowTestRandom(seed: 3)
        let flow = FlowField(width: 7, height: 5, u: rng.floats(35, -20, 20), v: rng.floats(35, -20, 20))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vst-flo-\(UUID().uuidString).flo").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FloFile.write(flow, path: path)
        #expect(try FloFile.read(path: path) == flow)
    }

    @Test func rejectsBadMagicTruncationAndMissingFiles() {
        var bytes = FloFile.encode(FlowField(width: 2, height: 2))
        #expect(throws: FlowError.truncated(path: "<memory>", expectedBytes: 44, foundBytes: 40)) {
            try FloFile.decode(Array(bytes.dropLast(4)))
        }
        bytes[0] = 0
        #expect(throws: FlowError.self) { try FloFile.decode(bytes) }
        #expect(throws: FlowError.self) { try FloFile.read(path: "/nonexistent/vst.flo") }
        #expect(!FlowError.badMagic(path: "a.flo", found: 1).description.contains("\n"))
    }

    @Test(.enabled(if: FlowFixtures.smallChairs != nil, "needs ../shared/flow/tiny_mmflow_chairs_50x50"))
    func readsTheSharedGroundTruth() throws {
        let dir = try #require(FlowFixtures.smallChairs)
        let flow = try FloFile.read(path: dir.appendingPathComponent("flow10.flo").path)
        #expect(flow.width == 50 && flow.height == 50)
        #expect(flow.u.allSatisfy(\.isFinite) && flow.v.allSatisfy(\.isFinite))
    }
}
