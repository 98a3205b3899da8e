import Foundation
import Testing
@testable import Media

@Suite struct VideoReaderTests {
    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func bigBuckBunnyInfo() throws {
        let path = try #require(TestMedia.bunny)
        let info = try VideoReader(path: path).info
        #expect(info.sourceWidth == 1280 && info.sourceHeight == 720)
        #expect(info.width == 1280 && info.height == 720)
        #expect(info.frameRate == Rational(25, 1))
        #expect(info.timeBase == Rational(1, 12800))
        #expect(info.frameCount == 132)
        #expect(info.audioStreamCount == 1 && info.subtitleStreamCount == 0)
        #expect(info.codecName == "h264")
        #expect(abs(info.durationSeconds - 132.0 / 25) < 1e-9)
    }

    @Test(.enabled(if: TestMedia.bunny != nil && TestMedia.tears != nil, "needs ../shared/media's two clips"),
          arguments: ["bigbuckbunny.mp4", "tears_of_steel_excerpt_640x360.mp4"])
    func decodesEveryFrameWithTheContainersTimestamps(name: String) throws {
        let path = try #require(TestMedia.shared(name))
        // Scaled small to keep the test fast: scaling does not change which frames come out.
        let reader = try VideoReader(path: path, height: 72)
        var pts: [Int64] = [], indices: [Int] = []
        while let frame = try reader.nextFrame() {
            pts.append(frame.pts)
            indices.append(frame.index)
            #expect(frame.image.height == 72)
        }
        #expect(pts.count == reader.info.frameCount)
        #expect(indices == Array(0..<pts.count))
        #expect(pts == reader.framePTS)
        #expect(try reader.nextFrame() == nil)
        let expectedCount = name.hasPrefix("big") ? 132 : 240
        #expect(pts.count == expectedCount)
    }

    /// The timestamps the reader lists (the decoded frames carry exactly these, as the test above
    /// checks) are the ones ffprobe reads: an independent demuxer agrees.
    @Test(.enabled(if: TestMedia.bunny != nil && TestMedia.tears != nil, "needs ../shared/media's two clips"),
          .enabled(if: Tools.hasFFprobe, "needs the ffprobe command line"),
          arguments: ["bigbuckbunny.mp4", "tears_of_steel_excerpt_640x360.mp4"])
    func listsTheTimestampsFFprobeReads(name: String) throws {
        let path = try #require(TestMedia.shared(name))
        #expect(try VideoReader(path: path, height: 72).framePTS == Tools.probeFramePTS(path))
    }

    @Test func scalesToAHeightKeepingEvenSides() throws {
        #expect(VideoInfo.scaledSize(sourceWidth: 1280, sourceHeight: 720, height: 288) == (512, 288))
        #expect(VideoInfo.scaledSize(sourceWidth: 640, sourceHeight: 360, height: 250) == (444, 250))
        #expect(VideoInfo.scaledSize(sourceWidth: 1280, sourceHeight: 720, height: 289) == (512, 288))
        #expect(VideoInfo.scaledSize(sourceWidth: 1000, sourceHeight: 700, height: 100) == (142, 100)) // 142.86
        #expect(VideoInfo.scaledSize(sourceWidth: 101, sourceHeight: 75, height: nil) == (100, 74))
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func scalesARealClip() throws {
        let path = try #require(TestMedia.bunny)
        let reader = try VideoReader(path: path, height: 288)
        #expect(reader.info.width == 512 && reader.info.height == 288)
        let frame = try #require(try reader.nextFrame())
        #expect(frame.image.width == 512 && frame.image.height == 288)
    }

    @Test func oddSourcesComeOutEven() throws {
        // FFV1 in RGB takes odd sizes; what the reader hands on is always even.
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = try SyntheticVideo.make(count: 3, width: 35, height: 27, in: directory, options: EncoderOptions(lossless: true))
        let reader = try VideoReader(path: made.path)
        #expect(reader.info.sourceWidth == 35 && reader.info.sourceHeight == 27)
        #expect(reader.info.width == 34 && reader.info.height == 26)
        let frame = try #require(try reader.nextFrame())
        #expect(frame.image.width == 34 && frame.image.height == 26)
        let scaled = try VideoReader(path: made.path, height: 13)
        #expect(scaled.info.width == 16 && scaled.info.height == 12) // 35 * 12 / 27 = 15.6
    }

    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"),
          .enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func matchesFFmpegsOwnConversion() throws {
        let path = try #require(TestMedia.tears)
        let raw = try Tools.run("ffmpeg", ["-v", "error", "-i", path, "-frames:v", "1", "-sws_flags", "bicubic+accurate_rnd+full_chroma_int",
                                           "-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
        let frame = try #require(try VideoReader(path: path).nextFrame())
        let reference = RGBImage(width: 640, height: 360, pixels: [UInt8](raw))
        // Same flags, same library: identical here; other FFmpeg builds may round differently.
        #expect(TestMedia.psnr(frame.image, reference) > 45)
    }

    /// Full-range JPEG video, full-range tagged BT.709, and 10-bit 4:4:4, each made by FFmpeg's
    /// command line and compared with its own conversion to RGB.
    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"),
          .enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"),
          arguments: [
        ["-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "3", "film.avi"],
        ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-color_range", "pc", "-colorspace", "bt709", "film.mkv"],
        ["-c:v", "libx264", "-pix_fmt", "yuv444p10le", "film.mkv"],
    ])
    func readsColourRangesAndDepthsLikeFFmpeg(encoding: [String]) throws {
        let source = try #require(TestMedia.tears)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(encoding.last!).path
        _ = try Tools.run("ffmpeg", ["-v", "error", "-i", source, "-frames:v", "3"] + encoding.dropLast() + [path])
        let raw = try Tools.run("ffmpeg", ["-v", "error", "-i", path, "-frames:v", "1", "-sws_flags", "bicubic+accurate_rnd+full_chroma_int",
                                           "-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
        let frame = try #require(try VideoReader(path: path).nextFrame())
        #expect(TestMedia.psnr(frame.image, RGBImage(width: 640, height: 360, pixels: [UInt8](raw))) > 45)
    }

    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"))
    func startsAtAFrame() throws {
        let path = try #require(TestMedia.tears)
        let sequential = try VideoReader(path: path, height: 64)
        var frames: [VideoFrame] = []
        while frames.count < 131, let frame = try sequential.nextFrame() { frames.append(frame) }
        for start in [3, 100, 130] { // a short skip decodes through; far ones seek to a keyframe
            let reader = try VideoReader(path: path, height: 64, startFrame: start)
            let frame = try #require(try reader.nextFrame())
            #expect(frame.pts == frames[start].pts && frame.index == start)
            #expect(frame.image == frames[start].image)
        }
        let reader = try VideoReader(path: path, height: 64)
        _ = try reader.nextFrame()
        try reader.skip(frames: 99)
        #expect(try reader.nextFrame()?.pts == frames[100].pts)
        #expect(try reader.nextFrame()?.pts == frames[101].pts)
        let past = try VideoReader(path: path, height: 64, startFrame: 240)
        #expect(try past.nextFrame() == nil)
        // Backwards and forwards on one reader, including after it ran out.
        for index in [10, 120, 5, 0, 66] {
            try past.seek(toFrame: index)
            #expect(past.nextIndex == index)
            #expect(try past.nextFrame() == frames[index])
        }
        while try past.nextFrame() != nil {}
        try past.seek(toFrame: 1)
        #expect(try past.nextFrame() == frames[1])
    }

    @Test func missingFile() {
        #expect(throws: MediaError.cannotOpen(path: "/nonexistent/film.mkv", reason: "no such file")) {
            try VideoReader(path: "/nonexistent/film.mkv")
        }
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func truncatedFile() throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cut.mp4").path
        let bytes = try #require(FileManager.default.contents(atPath: source))
        try bytes.prefix(10_240).write(to: URL(fileURLWithPath: path))
        #expect { try VideoReader(path: path) } throws: { error in
            guard case MediaError.invalidMedia(let p, _) = error else { return false }
            return p == path
        }
    }

    @Test func truncatedFileWithItsIndexUpFront() throws {
        // VideoWriter writes MP4 with the index first (faststart): cut, it still opens, and
        // only the index pointing past the end of the file tells.
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var rng = SplitMix64(seed: 9)
        let path = directory.appendingPathComponent("noise.mp4").path
        let writer = try VideoWriter(path: path, width: 64, height: 48, frameRate: SyntheticVideo.frameRate,
                                     timeBase: SyntheticVideo.timeBase, options: EncoderOptions(preset: "ultrafast"))
        for t in 0..<30 { try writer.write(.random(width: 64, height: 48, using: &rng), pts: Int64(t) * SyntheticVideo.step) }
        try writer.finish()
        #expect(try VideoReader(path: path).info.frameCount == 30)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let cut = directory.appendingPathComponent("cut.mp4").path
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        #expect { try VideoReader(path: cut) } throws: { error in
            guard case MediaError.invalidMedia(let p, let reason) = error else { return false }
            return p == cut && reason.hasPrefix("truncated: ") && reason.hasSuffix(" of 30 frames lie past the end of the file")
        }
    }

    @Test func textFileAndStillImageAreNotFilms() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("film.mkv").path
        try Data(String(repeating: "not a film at all\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        #expect { try VideoReader(path: text) } throws: { error in
            guard case MediaError.invalidMedia(let p, _) = error else { return false }
            return p == text && "\(error)".hasPrefix("\(text): not readable media")
        }
        let png = directory.appendingPathComponent("still.png").path
        try ImageIO.save(RGBImage(width: 8, height: 6), to: png)
        #expect(throws: MediaError.stillImage(path: png)) { try VideoReader(path: png) }
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"),
          .enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func soundWithoutPictureHasNoVideoStream() throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sound.m4a").path
        _ = try Tools.run("ffmpeg", ["-v", "error", "-i", source, "-vn", "-c:a", "copy", path])
        #expect(throws: MediaError.noVideoStream(path: path)) { try VideoReader(path: path) }
    }

    @Test func rejectsBadArguments() {
        #expect(throws: MediaError.invalidArgument("height 1 is below 2")) { try VideoReader(path: "x.mkv", height: 1) }
        #expect(throws: MediaError.invalidArgument("start frame -1 is negative")) { try VideoReader(path: "x.mkv", startFrame: -1) }
    }
}
