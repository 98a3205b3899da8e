import Foundation
import Testing
@testable import Media

/// Clips cut from a film without decoding decode to exactly the frames a reader of the whole
/// film returns, wherever the stretch starts (a keyframe, inside a GOP, B-frames around it).
@Suite struct VideoClipTests {
    /// The frames `ranges` of `path`, read with one `VideoReader` of the whole film.
    static func reference(_ path: String, height: Int?, _ ranges: [Range<Int>]) throws -> [[RGBImage]] {
        try ranges.map { range in
            let reader = try VideoReader(path: path, height: height, startFrame: range.lowerBound)
            return try range.map { _ in try #require(try reader.nextFrame()).image }
        }
    }

    static func checkClips(of path: String, height: Int?, _ ranges: [Range<Int>]) throws {
        let reader = try VideoReader(path: path, height: height)
        let clipper = try VideoClipper(path: path, framePTS: reader.framePTS)
        let expected = try reference(path, height: height, ranges)
        // Out of order on purpose: a clip before the previous one seeks back.
        for (range, frames) in zip(ranges, expected).reversed() {
            let clip = try clipper.clip(frames: range)
            #expect(clip.pts.count == range.count)
            let decoded = try clip.frames(height: height)
            #expect(decoded.count == frames.count)
            for (i, (a, b)) in zip(decoded, frames).enumerated() {
                #expect(a.width == b.width && a.height == b.height && a.pixels == b.pixels, "frame \(range.lowerBound + i) of \(range)")
            }
        }
    }

    @Test(.enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func clipsOfAFilmWithShortGOPsAndBFramesDecodeExactly() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gops.mp4").path
        // Keyframes every 12 frames, up to 3 B-frames between references.
        _ = try Tools.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=25", "-frames:v", "60",
                                     "-c:v", "libx264", "-g", "12", "-bf", "3", "-pix_fmt", "yuv420p", path])
        try Self.checkClips(of: path, height: nil, [0..<5, 5..<17, 12..<24, 23..<24, 40..<60])
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func clipsOfTheSharedFilmDecodeExactlyScaled() throws {
        let bunny = try #require(TestMedia.bunny)
        try Self.checkClips(of: bunny, height: 72, [0..<8, 37..<50, 120..<132])
    }

    @Test func aStretchOutsideTheFilmIsRefused() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (path, _) = try SyntheticVideo.make(count: 6, in: directory)
        let clipper = try VideoClipper(path: path, framePTS: try VideoReader(path: path).framePTS)
        #expect(throws: MediaError.self) { try clipper.clip(frames: 4..<7) }
        #expect(throws: MediaError.self) { try clipper.clip(frames: 3..<3) }
        #expect(throws: MediaError.self) { try VideoClipper(path: path, framePTS: []) }
    }

    @Test func aWorkersSegmentIsInspectedWithoutDecoding() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (path, _) = try SyntheticVideo.make(count: 7, width: 32, height: 24, in: directory)
        let inspection = try SegmentInspection(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: "segment")
        #expect(inspection.width == 32 && inspection.height == 24 && inspection.frameCount == 7)
        #expect(inspection.codecName == "h264" && inspection.startsWithKeyframe)
        #expect(throws: MediaError.self) { try SegmentInspection(bytes: Array("not a film at all".utf8), name: "junk") }
    }
}
