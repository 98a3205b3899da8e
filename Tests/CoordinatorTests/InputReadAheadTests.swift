import Foundation
import Testing
import Media
import Protocol
@testable import Coordinator

/// The task path's frames decoded ahead on their own thread: the same payloads as decoding on
/// the loop, for chunks that overlap, for a chunk reassigned behind the read-ahead, and with a
/// read-ahead smaller than a chunk (the loop waits for it).
@Suite struct InputReadAheadTests {
    /// What the loop itself would send for relative frames `range`: each decoded frame encoded.
    static func expected(_ input: String, _ range: Range<Int>) throws -> [[UInt8]] {
        let source = try InputFrameSource(path: input, height: nil, start: 0, sequenceRate: nil, keep: 1)
        return try source.frames(range).map { FramePayload.encode(width: $0.width, height: $0.height, pixels: $0.pixels) }
    }

    @Test func payloadsMatchTheDecodedFramesInAnyOrderOfChunks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-read-ahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try JobRunnerTests.makeFilm(in: folder)
        let source = try InputFrameSource(path: input, height: nil, start: 0, sequenceRate: nil, keep: 3)
        // Chunks of 4 with an overlap of 2, as the scheduler hands them out, then chunk 1 again
        // (its worker died), then the last chunk; the read-ahead holds 2 frames, less than a chunk.
        for range in [0..<4, 2..<8, 6..<12, 2..<8, 6..<12] {
            let payloads = try source.payloads(range, ahead: 2, limit: 12)
            #expect(payloads == (try Self.expected(input, range)), "frames \(range)")
        }
        // Each payload holds the frame's own value (10 * i), so a frame out of place shows.
        let last = try source.payloads(11..<12, ahead: 2, limit: 12)
        #expect(try FramePayload.decode(last[0]).pixels.allSatisfy { abs(Int($0) - 110) <= 1 })
    }

    @Test func aFramePastTheJobsLastIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-read-ahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try JobRunnerTests.makeFilm(in: folder)
        let source = try InputFrameSource(path: input, height: nil, start: 0, sequenceRate: nil, keep: 1)
        #expect(throws: MediaError.self) { try source.payloads(8..<11, ahead: 4, limit: 10) }
    }
}
