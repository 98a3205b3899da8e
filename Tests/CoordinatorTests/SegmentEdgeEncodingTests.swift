import Foundation
import Testing
import Media
import Protocol
@testable import Coordinator

/// The frames where two chunks' segments meet in the joined film are encoded finer
/// (`SegmentEdges`), the film's own first and last frames and the frames inside a chunk are not.
@Suite struct SegmentEdgeEncodingTests {
    static let width = 64, height = 48, frames = 12

    /// Frame `i`'s render: grey noise (x264 cannot predict it away, so its quality is its quantiser's).
    static func picture(_ i: Int) -> [UInt8] {
        var rng = SplitMix64(seed: UInt64(100 + i))
        return (0..<width * height).flatMap { _ in [UInt8](repeating: 64 + UInt8(truncatingIfNeeded: rng.next()) / 2, count: 3) }
    }

    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let mse = zip(a, b).reduce(0.0) { $0 + Double((Int($1.0) - Int($1.1)) * (Int($1.0) - Int($1.1))) } / Double(a.count)
        return 10 * log10(255 * 255 / max(mse, 1e-9))
    }

    /// Each frame's PSNR in the film of a 3-chunk copy job with `joinGain`.
    static func filmPSNR(joinGain: Int?) throws -> [Double] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-edges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.mkv").path
        let writer = try VideoWriter(path: input, width: Self.width, height: Self.height, frameRate: Rational(25, 1),
                                     timeBase: Rational(1, 25), options: EncoderOptions(lossless: true))
        for i in 0..<Self.frames {
            try writer.write(RGBImage(width: Self.width, height: Self.height, pixels: Self.picture(i)), pts: Int64(i))
        }
        try writer.finish()
        let output = folder.appendingPathComponent("out.mkv").path
        // Chunks own frames 0-3, 4-7 and 8-11 (overlap 1: the coordinator encodes the segments).
        let request = JobRequest(input: input, output: output, styles: [], method: .copy, chunk: 4, overlap: 1,
                                 crf: 18, preset: "medium", lossless: false, joinGain: joinGain)
        let store = try JobStore(path: folder.appendingPathComponent("vst.sqlite").path, durable: false)
        let runner = try JobRunner(id: try store.insertJob(request, priority: 0), request: request,
                                   directory: folder.appendingPathComponent("job"), store: store, durable: false)
        #expect(runner.chunkRanges == [0..<4, 3..<8, 7..<12])
        try runner.start()
        for (chunk, range) in runner.chunkRanges.enumerated() {
            for frame in range {
                _ = try runner.accept(chunk: chunk, absoluteFrame: frame,
                                      payload: FramePayload.encode(width: Self.width, height: Self.height, pixels: Self.picture(frame)))
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !runner.isComplete && ContinuousClock.now < deadline {
            if try runner.assemble() == 0 { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(runner.isComplete)
        let reader = try VideoReader(path: output)
        var psnr: [Double] = []
        while let frame = try reader.nextFrame() { psnr.append(Self.psnr(frame.image.pixels, Self.picture(psnr.count))) }
        try #require(psnr.count == Self.frames)
        return psnr
    }

    @Test func framesThatMeetAnotherChunksSegmentAreEncodedFiner() throws {
        let psnr = try Self.filmPSNR(joinGain: nil)
        // The joins are between frames 3 and 4 and between 7 and 8.
        let edges = [3, 4, 7, 8], inside = [1, 2, 5, 6, 9, 10]
        let worstEdge = edges.map { psnr[$0] }.min()!, bestInside = inside.map { psnr[$0] }.max()!
        #expect(worstEdge >= bestInside + 2, "PSNR per frame: \(psnr.map { String(format: "%.1f", $0) })")
        // The film's own first and last frames meet nothing.
        #expect(psnr[0] < worstEdge - 2 && psnr[11] < worstEdge - 2)
    }

    @Test func joinGainZeroEncodesTheJoinsAsTheRest() throws {
        let plain = try Self.filmPSNR(joinGain: 0), finer = try Self.filmPSNR(joinGain: nil)
        for t in [3, 4, 7, 8] { #expect(plain[t] < finer[t] - 2, "frame \(t): \(plain[t]) dB with gain 0, \(finer[t]) by default") }
    }
}
