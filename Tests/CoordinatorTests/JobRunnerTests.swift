import Foundation
import Testing
import Media
import Protocol
@testable import Coordinator

/// The assembler path in-process: results arrive out of order and twice, overlaps are blended,
/// frames are encoded in order and their stored copies deleted.
@Suite struct JobRunnerTests {
    /// A lossless 12-frame 16x8 film whose frame i is filled with the value 10 * i.
    static func makeFilm(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("in.mkv").path
        let writer = try VideoWriter(path: path, width: 16, height: 8, frameRate: Rational(25, 1), timeBase: Rational(1, 25),
                                     options: EncoderOptions(lossless: true))
        for i in 0..<12 {
            try writer.write(RGBImage(width: 16, height: 8, pixels: [UInt8](repeating: UInt8(10 * i), count: 16 * 8 * 3)), pts: Int64(i))
        }
        try writer.finish()
        return path
    }

    static func payload(_ value: UInt8) -> [UInt8] {
        FramePayload.encode(width: 16, height: 8, pixels: [UInt8](repeating: value, count: 16 * 8 * 3))
    }

    @Test func overlapsAreBlendedFramesEncodedInOrderAndStoredCopiesDropped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Self.makeFilm(in: folder)
        let output = folder.appendingPathComponent("out.mkv").path
        let request = JobRequest(input: input, output: output, styles: [], method: .copy, chunk: 6, overlap: 3,
                                 crf: 18, preset: "medium", lossless: true)
        let store = try JobStore(path: folder.appendingPathComponent("vst.sqlite").path, durable: false)
        let id = try store.insertJob(request, priority: 0)
        let runner = try JobRunner(id: id, request: request, directory: folder.appendingPathComponent("job"), store: store, durable: false)
        #expect(runner.chunkRanges == [0..<6, 3..<12])
        try runner.start()

        // Chunk 1 renders everything as 200, chunk 0 as 100; chunk 1 arrives first.
        for frame in 3..<12 { _ = try runner.accept(chunk: 1, absoluteFrame: frame, payload: Self.payload(200)) }
        _ = try runner.accept(chunk: 1, absoluteFrame: 5, payload: Self.payload(7))     // a duplicate is not stored again
        #expect(try runner.assemble() == 0)                                            // frame 0 is missing
        #expect(runner.storedFrameCount == 9)
        for frame in 0..<6 { _ = try runner.accept(chunk: 0, absoluteFrame: frame, payload: Self.payload(100)) }
        // Encode everything, then wait for the background join.
        let deadline = ContinuousClock.now + .seconds(30)
        while !runner.isComplete && ContinuousClock.now < deadline {
            if try runner.assemble() == 0 { Thread.sleep(forTimeInterval: 0.01) }
        }
        #expect(runner.isComplete)
        // Chunk 1's duplicate of frame 5 was counted, not stored.
        #expect(store.arrivals(of: id)[.init(chunk: 1, frame: 5)] == 2)
        #expect(store.arrivals(of: id).values.reduce(0, +) == 16)
        #expect(runner.storedFrameCount == 0)
        #expect(throws: DecodeError.self) { try runner.accept(chunk: 0, absoluteFrame: 9, payload: Self.payload(1)) }

        let reader = try VideoReader(path: output)
        var values: [UInt8] = []
        while let frame = try reader.nextFrame() { values.append(frame.image.pixels[0]) }
        // Overlap frames 3, 4, 5 ramp from chunk 0's 100 toward chunk 1's 200 by 1/4, 2/4, 3/4.
        #expect(values == [100, 100, 100, 125, 150, 175, 200, 200, 200, 200, 200, 200])
    }
}
