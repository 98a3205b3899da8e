import Foundation
import Testing
@testable import Media

@Suite struct VideoWriterTests {
    /// Every packet of one kind of stream, as (pts in seconds, bytes), in file order.
    static func packets(of path: String, kind: Demuxer.StreamKind) throws -> [(seconds: Double, bytes: [UInt8])] {
        let demuxer = try Demuxer(path: path)
        let packet = try Packet()
        var result: [(Double, [UInt8])] = []
        while try demuxer.read(into: packet) {
            let stream = demuxer.stream(packet.streamIndex)
            guard demuxer.kind(ofStream: packet.streamIndex) == kind else { continue }
            let p = packet.pointer.pointee
            let bytes = [UInt8](UnsafeBufferPointer(start: p.data, count: Int(p.size)))
            result.append((Rational(stream.pointee.time_base).seconds(p.pts), bytes))
        }
        return result
    }

    /// How far, in seconds, a packet lies behind the latest one before it in the file: small
    /// when sound and picture are interleaved, the whole film when one stream trails the other.
    static func worstInterleavingLag(_ path: String) throws -> Double {
        let demuxer = try Demuxer(path: path)
        let packet = try Packet()
        var latest = -Double.infinity, worst = 0.0
        while try demuxer.read(into: packet) {
            let time = Rational(demuxer.stream(packet.streamIndex).pointee.time_base).seconds(packet.pointer.pointee.dts)
            latest = max(latest, time)
            worst = max(worst, latest - time)
        }
        return worst
    }

    static func readAll(_ path: String) throws -> (info: VideoInfo, frames: [VideoFrame]) {
        let reader = try VideoReader(path: path)
        var frames: [VideoFrame] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        return (reader.info, frames)
    }

    @Test func losslessRoundTripIsBitExact() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var rng = SplitMix64(seed: 5)
        let images = (0..<5).map { _ in RGBImage.random(width: 34, height: 26, using: &rng) }
        let path = directory.appendingPathComponent("noise.mkv").path
        let writer = try VideoWriter(path: path, width: 34, height: 26, frameRate: Rational(24, 1),
                                     timeBase: Rational(1, 12288), options: EncoderOptions(lossless: true))
        for (t, image) in images.enumerated() { try writer.write(image, pts: 1000 + Int64(t) * 512) }
        try writer.finish()
        let (info, frames) = try Self.readAll(path)
        #expect(info.codecName == "ffv1" && info.frameCount == 5)
        #expect(frames.map(\.image) == images)
        // Matroska counts in milliseconds: equal to the input's times within half a tick.
        for (t, frame) in frames.enumerated() {
            let expected = Rational(1, 12288).seconds(1000 + Int64(t) * 512)
            #expect(abs(info.timeBase.seconds(frame.pts) - expected) <= 0.0005)
        }
    }

    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"))
    func h264KeepsARealClipsQualityAndTimestamps() throws {
        let source = try #require(TestMedia.tears)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try VideoReader(path: source)
        var input: [VideoFrame] = []
        while input.count < 24, let frame = try reader.nextFrame() { input.append(frame) }
        let path = directory.appendingPathComponent("tears.mp4").path
        let writer = try VideoWriter(path: path, width: reader.info.width, height: reader.info.height,
                                     frameRate: reader.info.frameRate, timeBase: reader.info.timeBase)
        for frame in input { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        let (info, output) = try Self.readAll(path)
        #expect(info.codecName == "h264" && output.count == input.count)
        #expect(info.timeBase == reader.info.timeBase) // MP4 keeps the time base: pts are equal
        // Sequence PSNR (the mean over frames, in RGB, so 4:2:0 chroma loss counts too) at the
        // default CRF; single grainy frames may dip a little below it (39.1 dB measured).
        let psnr = zip(input, output).map { TestMedia.psnr($0.image, $1.image) }
        #expect(psnr.reduce(0, +) / Double(psnr.count) >= 40)
        #expect(psnr.allSatisfy { $0 >= 37 })
        #expect(zip(input, output).allSatisfy { $0.pts == $1.pts })
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"), arguments: ["mkv", "mp4"])
    func copiesTheSoundPacketForPacket(container: String) throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try VideoReader(path: source, height: 72)
        let path = directory.appendingPathComponent("bunny.\(container)").path
        let writer = try VideoWriter(path: path, width: reader.info.width, height: reader.info.height,
                                     frameRate: reader.info.frameRate, timeBase: reader.info.timeBase,
                                     options: EncoderOptions(preset: "ultrafast"), copyingStreamsFrom: source)
        var inputPTS: [Double] = []
        while let frame = try reader.nextFrame() {
            try writer.write(frame.image, pts: frame.pts)
            inputPTS.append(reader.info.timeBase.seconds(frame.pts))
        }
        try writer.finish()
        #expect(writer.skippedStreams.isEmpty)

        let sourceAudio = try Self.packets(of: source, kind: .audio)
        let outputAudio = try Self.packets(of: path, kind: .audio)
        #expect(sourceAudio.count == 249 && outputAudio.count == sourceAudio.count)
        #expect(outputAudio.map(\.bytes) == sourceAudio.map(\.bytes))
        for (a, b) in zip(sourceAudio, outputAudio) { #expect(abs(a.seconds - b.seconds) <= 0.0005) }

        #expect(try Self.worstInterleavingLag(path) < 0.1)

        let (info, frames) = try Self.readAll(path)
        #expect(info.audioStreamCount == 1 && frames.count == 132)
        let outputPTS = frames.map { info.timeBase.seconds($0.pts) }
        #expect(zip(inputPTS, outputPTS).allSatisfy { abs($0 - $1) <= 0.0005 })
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func copiesOnlyTheWindowsSoundAndStartsAtZero() throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = try VideoReader(path: source, height: 72, startFrame: 25)
        let timeBase = reader.info.timeBase // 1/12800: frames 25..<75 are seconds 1..<3
        let window = TimeWindow(start: 12800, end: 3 * 12800, timeBase: timeBase)
        let path = directory.appendingPathComponent("slice.mkv").path
        let writer = try VideoWriter(path: path, width: reader.info.width, height: reader.info.height,
                                     frameRate: reader.info.frameRate, timeBase: timeBase,
                                     options: EncoderOptions(preset: "ultrafast"), copyingStreamsFrom: source,
                                     window: window, timestampOffset: window.start)
        for _ in 0..<50 {
            let frame = try #require(try reader.nextFrame())
            try writer.write(frame.image, pts: frame.pts)
        }
        try writer.finish()
        let expected = try Self.packets(of: source, kind: .audio).filter { $0.seconds >= 1 && $0.seconds < 3 }
        let output = try Self.packets(of: path, kind: .audio)
        #expect(!expected.isEmpty && output.map(\.bytes) == expected.map(\.bytes))
        #expect(try Self.worstInterleavingLag(path) < 0.1)
        for (a, b) in zip(expected, output) { #expect(abs((a.seconds - 1) - b.seconds) <= 0.0005) }
        let (info, frames) = try Self.readAll(path)
        #expect(frames.count == 50 && frames.first?.pts == 0)
        #expect(abs(info.timeBase.seconds(frames.last!.pts) - 49.0 / 25) <= 0.0005)
    }

    @Test(arguments: ["mov", "avi", "webm", "mkv", "nut"])
    func writesEveryContainer(container: String) throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = try SyntheticVideo.make(count: 4, in: directory, name: "square.\(container)",
                                           options: EncoderOptions(preset: "ultrafast"))
        let (info, frames) = try Self.readAll(made.path)
        #expect(info.codecName == (container == "webm" ? "vp9" : "h264"))
        #expect(frames.count == 4 && info.width == 32 && info.height == 24)
        for (a, b) in zip(made.frames, frames) { #expect(TestMedia.psnr(a, b.image) > 30) }
        let seconds = frames.map { info.timeBase.seconds($0.pts) }
        #expect(zip(seconds, [0, 0.04, 0.08, 0.12]).allSatisfy { abs($0 - $1) <= 0.0005 })
    }

    @Test func copiesASyntheticTone() throws {
        // The same check as with the real clip, on material made here (no ../shared needed).
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let film = try SyntheticVideo.make(count: 25, in: directory, name: "tone.mkv",
                                           options: EncoderOptions(preset: "ultrafast"), tone: true)
        let source = try VideoReader(path: film.path)
        #expect(source.info.audioStreamCount == 1 && source.info.frameCount == 25)
        let path = directory.appendingPathComponent("copy.mkv").path
        let writer = try VideoWriter(path: path, width: 32, height: 24, frameRate: SyntheticVideo.frameRate,
                                     timeBase: SyntheticVideo.timeBase, options: EncoderOptions(preset: "ultrafast"),
                                     copyingStreamsFrom: film.path)
        while let frame = try source.nextFrame() { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        let input = try Self.packets(of: film.path, kind: .audio), output = try Self.packets(of: path, kind: .audio)
        #expect(!input.isEmpty && output.map(\.bytes) == input.map(\.bytes))
        #expect(output.map(\.bytes).joined().count == 48_000 * 2)
    }

    @Test(.enabled(if: TestMedia.bunny != nil, "needs ../shared/media/bigbuckbunny.mp4"))
    func webmSkipsSoundItCannotHold() throws {
        let source = try #require(TestMedia.bunny)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try VideoWriter(path: directory.appendingPathComponent("x.webm").path, width: 32, height: 24,
                                     frameRate: SyntheticVideo.frameRate, timeBase: SyntheticVideo.timeBase,
                                     copyingStreamsFrom: source)
        #expect(writer.skippedStreams == ["stream 1 (aac audio)"])
        try writer.finish()
    }

    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"),
          .enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func copiesSubtitlesWhereTheContainerCanHoldThem() throws {
        // FFmpeg's command line makes the one film here with subtitles.
        let source = try #require(TestMedia.tears)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let srt = directory.appendingPathComponent("cues.srt")
        try Data("1\n00:00:00,100 --> 00:00:00,900\nHello\n\n2\n00:00:01,000 --> 00:00:01,800\nAgain\n\n".utf8).write(to: srt)
        let film = directory.appendingPathComponent("subtitled.mkv").path
        _ = try Tools.run("ffmpeg", ["-v", "error", "-i", source, "-i", srt.path, "-t", "2", "-map", "0:v", "-map", "1",
                                     "-c:v", "copy", "-c:s", "srt", film])
        let reader = try VideoReader(path: film, height: 72)
        #expect(reader.info.subtitleStreamCount == 1 && reader.info.audioStreamCount == 0)
        for container in ["mkv", "mp4"] {
            let path = directory.appendingPathComponent("out.\(container)").path
            let writer = try VideoWriter(path: path, width: reader.info.width, height: reader.info.height,
                                         frameRate: reader.info.frameRate, timeBase: reader.info.timeBase,
                                         options: EncoderOptions(preset: "ultrafast"), copyingStreamsFrom: film)
            try writer.write(RGBImage(width: reader.info.width, height: reader.info.height), pts: 0)
            try writer.finish()
            let subtitles = try Self.packets(of: path, kind: .subtitle)
            if container == "mkv" {
                #expect(writer.skippedStreams.isEmpty)
                #expect(subtitles.map(\.bytes) == [Array("Hello".utf8), Array("Again".utf8)])
                #expect(subtitles.map(\.seconds) == [0.1, 1.0])
            } else {
                #expect(writer.skippedStreams == ["stream 1 (subrip subtitle)"] && subtitles.isEmpty)
            }
        }
    }

    @Test func rejectsMisuse() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func open(_ name: String, _ options: EncoderOptions = EncoderOptions(), width: Int = 32) throws -> VideoWriter {
            try VideoWriter(path: directory.appendingPathComponent(name).path, width: width, height: 24,
                            frameRate: SyntheticVideo.frameRate, timeBase: SyntheticVideo.timeBase, options: options)
        }
        let unknown = directory.appendingPathComponent("film.xyz").path
        #expect(throws: MediaError.unsupportedContainer(path: unknown)) { try open("film.xyz") }
        let mp4 = directory.appendingPathComponent("lossless.mp4").path
        #expect(throws: MediaError.codecNotInContainer(codec: "FFV1", path: mp4)) { try open("lossless.mp4", EncoderOptions(lossless: true)) }
        #expect(throws: MediaError.invalidArgument("33x24: 4:2:0 video needs even sides")) { try open("odd.mkv", width: 33) }
        #expect { try open("p.mkv", EncoderOptions(preset: "warp")) } throws: { "\($0)".hasPrefix("invalid argument: x264 preset warp") }
        #expect { try VideoWriter(path: "/nonexistent/dir/out.mkv", width: 32, height: 24, frameRate: SyntheticVideo.frameRate,
                                  timeBase: SyntheticVideo.timeBase) } throws: { error in
            guard case MediaError.cannotWrite(let path, _) = error else { return false }
            return path == "/nonexistent/dir/out.mkv"
        }

        let writer = try open("ok.mkv", EncoderOptions(preset: "ultrafast"))
        #expect(throws: MediaError.sizeMismatch(expectedWidth: 32, expectedHeight: 24, width: 8, height: 8)) {
            try writer.write(RGBImage(width: 8, height: 8), pts: 0)
        }
        try writer.write(RGBImage(width: 32, height: 24), pts: 512)
        #expect(throws: MediaError.nonIncreasingTimestamp(previous: 512, pts: 512)) {
            try writer.write(RGBImage(width: 32, height: 24), pts: 512)
        }
        try writer.finish()
        #expect(throws: MediaError.closed("video writer for \(writer.path)")) { try writer.finish() }
    }
}

