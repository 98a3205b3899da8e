import Foundation
import Testing
@testable import Media

@Suite struct SegmentJoinerTests {
    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"), arguments: ["mp4", "mkv"])
    func joinsSegmentsWithoutReencodingAndCopiesTheSound(container: String) throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try VideoReader(path: source, height: 72)
        let info = reader.info
        // Three segments of uneven length, as chunks finish: frames [0, 40), [40, 41), [41, 132);
        // "veryfast" uses B-frames, so decoding order differs from presentation order.
        var segments: [String] = [], inputPTS: [Int64] = []
        for (number, end) in [40, 41, 132].enumerated() {
            let path = directory.appendingPathComponent("segment\(number).mkv").path
            let writer = try VideoWriter(path: path, width: info.width, height: info.height, frameRate: info.frameRate,
                                         timeBase: info.timeBase, options: EncoderOptions(preset: "veryfast"))
            while reader.nextIndex < end, let frame = try reader.nextFrame() {
                try writer.write(frame.image, pts: frame.pts)
                inputPTS.append(frame.pts)
            }
            try writer.finish()
            segments.append(path)
        }
        var segmentFrames: [RGBImage] = []
        for path in segments {
            let segment = try VideoReader(path: path)
            while let frame = try segment.nextFrame() { segmentFrames.append(frame.image) }
        }

        let output = directory.appendingPathComponent("joined.\(container)").path
        let skipped = try SegmentJoiner.join(segments: segments, into: output, timeBase: info.timeBase,
                                                copyingStreamsFrom: source)
        #expect(skipped.isEmpty)
        let joined = try VideoReader(path: output)
        #expect(joined.info.frameCount == 132 && joined.info.audioStreamCount == 1)
        var frames: [VideoFrame] = []
        while let frame = try joined.nextFrame() { frames.append(frame) }
        #expect(frames.map(\.image) == segmentFrames) // the very same packets, decoded
        let seconds = frames.map { joined.info.timeBase.seconds($0.pts) }
        #expect(zip(seconds, inputPTS.map { info.timeBase.seconds($0) }).allSatisfy { abs($0 - $1) <= 0.0005 })
        let audio = try VideoWriterTests.packets(of: output, kind: .audio)
        #expect(audio.map(\.bytes) == (try VideoWriterTests.packets(of: source, kind: .audio)).map(\.bytes))
    }

    @Test func refusesSegmentsEncodedDifferently() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try SyntheticVideo.make(count: 2, width: 32, height: 24, in: directory, name: "a.mkv",
                                        options: EncoderOptions(preset: "ultrafast"))
        let b = try SyntheticVideo.make(count: 2, width: 48, height: 24, in: directory, name: "b.mkv",
                                        options: EncoderOptions(preset: "ultrafast"))
        let out = directory.appendingPathComponent("out.mkv").path
        #expect { try SegmentJoiner.join(segments: [a.path, b.path], into: out, timeBase: SyntheticVideo.timeBase) } throws: {
            "\($0)".contains("was not encoded like")
        }
        // Same size, other settings (CABAC, B-frames): the H.264 headers differ, which is what
        // tells them apart when the later segment is read unprobed (pixel format unknown).
        let c = try SyntheticVideo.make(count: 2, width: 32, height: 24, in: directory, name: "c.mkv",
                                        options: EncoderOptions(preset: "medium"))
        #expect { try SegmentJoiner.join(segments: [a.path, c.path], into: out, timeBase: SyntheticVideo.timeBase) } throws: {
            "\($0)".contains("was not encoded like")
        }
        // Same encoding but the same times twice: the second segment overlaps the first.
        #expect { try SegmentJoiner.join(segments: [a.path, a.path], into: out, timeBase: SyntheticVideo.timeBase) } throws: {
            "\($0)".contains("overlaps or precedes the segment before it")
        }
        #expect(throws: MediaError.invalidArgument("no segments to join")) { try SegmentJoiner.join(segments: [], into: out, timeBase: SyntheticVideo.timeBase) }
    }
}
