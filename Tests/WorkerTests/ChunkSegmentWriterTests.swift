import Foundation
import Media
import Protocol
import Testing
@testable import Worker

/// A segment the worker encodes itself has its frames that meet the neighbouring segments
/// (`SegmentSpec.meetsPrevious`, `meetsNext`) encoded finer, as the coordinator's own segments do.
@Suite struct ChunkSegmentWriterTests {
    static let width = 64, height = 48, frames = 6

    /// Grey noise: x264 cannot predict it away, so a frame's quality is its quantiser's.
    static func picture(_ i: Int) -> RGBImage {
        var rng = SplitMix64(seed: UInt64(200 + i))
        let pixels = (0..<width * height).flatMap { _ in [UInt8](repeating: 64 + UInt8(truncatingIfNeeded: rng.next()) / 2, count: 3) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Each frame's PSNR after a segment with these flags is written and read back.
    static func psnr(meetsPrevious: Bool?, meetsNext: Bool?) throws -> [Double] {
        let spec = SegmentSpec(scaleHeight: nil, clipPTS: (0..<frames).map { Int64($0) }, outputPTS: (0..<frames).map { Int64($0) },
                               timeBase: [1, 25], frameRate: [25, 1], crf: 18, preset: "medium", lossless: false,
                               container: "mkv", clipBytes: 1, meetsPrevious: meetsPrevious, meetsNext: meetsNext)
        let writer = try ChunkSegmentWriter(spec, width: width, height: height)
        for i in 0..<frames { try writer.write(picture(i)) }
        let bytes = try writer.finish()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vst-segment-test-\(UUID().uuidString).mkv")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(bytes).write(to: path)
        let reader = try VideoReader(path: path.path)
        var out: [Double] = []
        while let frame = try reader.nextFrame() {
            let a = frame.image.pixels, b = picture(out.count).pixels
            let mse = zip(a, b).reduce(0.0) { $0 + Double((Int($1.0) - Int($1.1)) * (Int($1.0) - Int($1.1))) } / Double(a.count)
            out.append(10 * log10(255 * 255 / max(mse, 1e-9)))
        }
        #expect(out.count == frames)
        return out
    }

    @Test func framesThatMeetNeighbouringSegmentsAreEncodedFiner() throws {
        let plain = try Self.psnr(meetsPrevious: nil, meetsNext: nil)
        let both = try Self.psnr(meetsPrevious: true, meetsNext: true)
        let firstOnly = try Self.psnr(meetsPrevious: true, meetsNext: false)
        #expect(both[0] >= plain[0] + 3 && both[5] >= plain[5] + 3, "\(plain) \(both)")
        #expect(firstOnly[0] >= plain[0] + 3 && abs(firstOnly[5] - plain[5]) < 1, "\(plain) \(firstOnly)")
    }
}
