import Foundation
import Testing
@testable import Media

/// Films with a display matrix (phone video is stored lying down and tagged to be turned) come
/// out of `VideoReader` upright at the displayed size, as the ffmpeg command line shows them;
/// clips cut from them decode to the same upright frames; written films carry no matrix.
@Suite struct OrientationTests {
    /// A stored pixel's place under a display matrix's 2x2 part, straight from libavutil's
    /// display.h: (p, q) goes to (a p + c q, b p + d q), y pointing down, then the picture is
    /// shifted back to start at (0, 0). The reference for `Orientation(displayMatrix:)` and
    /// `RGBImage.oriented(_:)` together, for the eight matrices of quarter turns and mirrors.
    static func applyMatrix(a: Int, b: Int, c: Int, d: Int, to image: RGBImage) -> RGBImage {
        let corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)]
            .map { (p, q) in (a * p + c * q, b * p + d * q) }
        let (minU, minV) = (corners.map(\.0).min()!, corners.map(\.1).min()!)
        let width = corners.map(\.0).max()! - minU + 1, height = corners.map(\.1).max()! - minV + 1
        var result = RGBImage(width: width, height: height)
        for q in 0..<image.height {
            for p in 0..<image.width {
                result[a * p + c * q - minU, b * p + d * q - minV] = image[p, q]
            }
        }
        return result
    }

    /// Every 2x2 part with one 1 or -1 per row and column: four turns, each mirrored or not.
    static let quarterTurnMatrices: [(a: Int, b: Int, c: Int, d: Int)] = [
        (1, 0, 0, 1), (0, 1, -1, 0), (-1, 0, 0, -1), (0, -1, 1, 0),
        (-1, 0, 0, 1), (1, 0, 0, -1), (0, 1, 1, 0), (0, -1, -1, 0),
    ]

    static func displayMatrix(a: Int, b: Int, c: Int, d: Int, width: Int = 0, height: Int = 0) -> [Int32] {
        let one = 1 << 16
        return [a, b, 0, c, d, 0, width * one, height * one, 1 << 30].map { Int32($0) }
    }

    @Test func everyQuarterTurnAndMirrorMatrixLaysPixelsAsTheMatrixSays() throws {
        var rng = SplitMix64(seed: 22)
        let image = RGBImage.random(width: 5, height: 3, using: &rng)
        var seen = Set<Orientation>()
        for m in Self.quarterTurnMatrices {
            let orientation = Orientation(displayMatrix: Self.displayMatrix(a: m.a, b: m.b, c: m.c, d: m.d))
            seen.insert(orientation)
            let same = image.oriented(orientation) == Self.applyMatrix(a: m.a, b: m.b, c: m.c, d: m.d, to: image)
            #expect(same, "\(m): \(orientation)")
            #expect(orientation.mirrored == (m.a * m.d - m.b * m.c < 0), "\(m)")
        }
        #expect(seen.count == 8)
        // The matrix a phone writes for portrait video turns the picture a quarter clockwise.
        let phone = Orientation(displayMatrix: Self.displayMatrix(a: 0, b: 1, c: -1, d: 0, width: 272))
        #expect(phone == Orientation(rotation: 90, mirrored: false))
        #expect(phone.displayedSize(width: 640, height: 272) == (272, 640))
    }

    @Test func oddMatricesSnapToAQuarterTurnOrStayUpright() {
        let one = 65536.0
        // 80 degrees clockwise, scaled by 2 (laid out as the phone's quarter turn below, which
        // is this at 90 degrees): the nearest quarter turn.
        let angle = 80.0 * Double.pi / 180
        let tilted = [cos(angle), sin(angle), 0, -sin(angle), cos(angle), 0, 0, 0, 1].enumerated()
            .map { Int32(($0.offset == 8 ? Double(1 << 30) : 2 * one * $0.element).rounded()) }
        #expect(Orientation(displayMatrix: tilted) == Orientation(rotation: 90, mirrored: false))
        #expect(Orientation(displayMatrix: [Int32](repeating: 0, count: 9)) == .upright)
        #expect(Orientation(displayMatrix: [65536, 0, 0]) == .upright)
        #expect(Orientation(rotation: -90, mirrored: false).rotation == 270)
    }

    @Test func turningBackGivesTheSameBytes() {
        var rng = SplitMix64(seed: 3)
        let image = RGBImage.random(width: 7, height: 4, using: &rng)
        for rotation in [0, 90, 180, 270] {
            let turned = image.oriented(Orientation(rotation: rotation, mirrored: false))
            #expect(turned.oriented(Orientation(rotation: 360 - rotation, mirrored: false)) == image)
            let mirrored = image.oriented(Orientation(rotation: rotation, mirrored: true))
            // Mirroring after turning back undoes a mirror made before the turn.
            #expect(mirrored.oriented(Orientation(rotation: 360 - rotation, mirrored: false)).oriented(Orientation(rotation: 0, mirrored: true)) == image)
        }
    }

    // MARK: - Films made by the ffmpeg command line

    /// A 64x48 test pattern of `frames` frames (a keyframe every 12, B-frames between), and
    /// copies of it whose stream carries the display matrix `-metadata:s:v:0 rotate=R` writes.
    static func makeFilms(in directory: URL, frames: Int = 5) throws -> (plain: String, rotated: [Int: String]) {
        let plain = directory.appendingPathComponent("plain.mp4").path
        _ = try Tools.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-frames:v", "\(frames)",
                                     "-c:v", "libx264", "-g", "12", "-bf", "3", "-pix_fmt", "yuv444p", plain])
        var rotated: [Int: String] = [:]
        for degrees in [90, 180, 270] {
            let path = directory.appendingPathComponent("rotate\(degrees).mp4").path
            _ = try Tools.run("ffmpeg", ["-v", "error", "-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=\(degrees)", path])
            rotated[degrees] = path
        }
        return (plain, rotated)
    }

    /// The ffmpeg command line's own decode of `path` (it turns pictures upright by default),
    /// split into frames of the size it reports.
    static func commandLineFrames(_ path: String, scale: String? = nil) throws -> [RGBImage] {
        let size = try Tools.run("ffmpeg", ["-v", "error", "-i", path, "-frames:v", "1"] + (scale.map { ["-vf", "scale=\($0)"] } ?? [])
                                 + ["-f", "image2pipe", "-c:v", "ppm", "-"])
        // The P6 header gives the upright size: "P6\nW H\n255\n".
        let header = String(decoding: size.prefix(20), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let (width, height) = (Int(header[1])!, Int(header[2])!)
        let raw = try Tools.run("ffmpeg", ["-v", "error", "-i", path] + (scale.map { ["-vf", "scale=\($0)"] } ?? [])
                                + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let frameBytes = width * height * 3
        return stride(from: 0, to: raw.count, by: frameBytes).map {
            RGBImage(width: width, height: height, pixels: Array(raw[$0..<$0 + frameBytes]))
        }
    }

    static func readAll(_ reader: VideoReader) throws -> [RGBImage] {
        var frames: [RGBImage] = []
        while let frame = try reader.nextFrame() { frames.append(frame.image) }
        return frames
    }

    @Test(.enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func rotatedFilmsComeOutUprightAsTheCommandLineShowsThem() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let films = try Self.makeFilms(in: directory)
        let plain = try Self.readAll(VideoReader(path: films.plain))
        // FFmpeg 5.1's `rotate=R` tag reads back as a counterclockwise turn of R degrees.
        let expected = [90: Orientation(rotation: 270, mirrored: false), 180: Orientation(rotation: 180, mirrored: false),
                        270: Orientation(rotation: 90, mirrored: false)]
        for (degrees, path) in films.rotated.sorted(by: { $0.key < $1.key }) {
            let reader = try VideoReader(path: path)
            #expect(reader.info.orientation == expected[degrees], "rotate=\(degrees)")
            #expect(reader.info.sourceWidth == 64 && reader.info.sourceHeight == 48)
            let displayed = degrees == 180 ? (64, 48) : (48, 64)
            #expect(reader.info.width == displayed.0 && reader.info.height == displayed.1, "rotate=\(degrees)")
            let ours = try Self.readAll(reader)
            let theirs = try Self.commandLineFrames(path)
            #expect(ours.count == 5 && theirs.count == 5, "rotate=\(degrees)")
            for (i, (a, b)) in zip(ours, theirs).enumerated() {
                try #require(a.width == b.width && a.height == b.height, "rotate=\(degrees) frame \(i): \(a.width)x\(a.height) against \(b.width)x\(b.height)")
                // Only the YUV to RGB rounding differs; a wrong turn or mirror scores below 15 dB.
                #expect(TestMedia.psnr(a, b) > 35, "rotate=\(degrees) frame \(i): \(TestMedia.psnr(a, b)) dB")
            }
            // Turning moves pixels without resampling them: the stored film's frames, turned.
            let turnedPlain = plain.map { $0.oriented(expected[degrees]!) }
            let same = ours == turnedPlain // a Bool, so that a failure does not print every pixel
            #expect(same, "rotate=\(degrees)")
        }
    }

    @Test(.enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func heightCountsTheUprightPicturesLines() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let films = try Self.makeFilms(in: directory)
        let reader = try VideoReader(path: films.rotated[90]!, height: 32)
        #expect(reader.info.width == 24 && reader.info.height == 32)
        let ours = try Self.readAll(reader)
        let theirs = try Self.commandLineFrames(films.rotated[90]!, scale: "24:32")
        #expect(ours.count == theirs.count)
        for (i, (a, b)) in zip(ours, theirs).enumerated() {
            try #require(a.width == 24 && a.height == 32 && b.width == 24 && b.height == 32)
            // Two bicubic scalers with different settings: close, not equal.
            #expect(TestMedia.psnr(a, b) > 25, "frame \(i): \(TestMedia.psnr(a, b)) dB")
        }
    }

    @Test(.enabled(if: Tools.hasFFmpeg, "needs the ffmpeg command line"))
    func clipsOfARotatedFilmDecodeToTheSameUprightFrames() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let films = try Self.makeFilms(in: directory, frames: 30)
        for degrees in [90, 270] {
            let path = films.rotated[degrees]!
            let clip = try VideoClipper(path: path, framePTS: try VideoReader(path: path).framePTS).clip(frames: 3..<9)
            #expect(clip.orientation == (try VideoReader(path: path).info.orientation))
            try VideoClipTests.checkClips(of: path, height: nil, [0..<5, 5..<17, 23..<30])
            try VideoClipTests.checkClips(of: path, height: 32, [10..<20])
        }
    }

    @Test(.enabled(if: Tools.hasFFmpeg && Tools.hasFFprobe, "needs the ffmpeg command line"))
    func writtenFilmsCarryNoDisplayMatrix() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let films = try Self.makeFilms(in: directory)
        let reader = try VideoReader(path: films.rotated[270]!)
        let frames = try Self.readAll(reader)
        // H.264 in MP4, where the matrix came from; FFV1 in Matroska, to compare exactly.
        for name in ["out.mp4", "out.mkv"] {
            let output = directory.appendingPathComponent(name).path
            let lossless = name.hasSuffix(".mkv")
            let writer = try VideoWriter(path: output, width: reader.info.width, height: reader.info.height,
                                         frameRate: reader.info.frameRate, timeBase: reader.info.timeBase,
                                         options: EncoderOptions(lossless: lossless), copyingStreamsFrom: films.rotated[270]!)
            for (frame, pts) in zip(frames, reader.framePTS) { try writer.write(frame, pts: pts) }
            try writer.finish()
            let streams = String(decoding: try Tools.run("ffprobe", ["-v", "error", "-show_streams", output]), as: UTF8.self)
            #expect(!streams.contains("Display Matrix") && !streams.contains("rotation"), "\(name): \(streams)")
            let back = try VideoReader(path: output)
            #expect(back.info.orientation == .upright && back.info.width == 48 && back.info.height == 64, "\(name)")
            let written = try Self.readAll(back)
            #expect(written.count == frames.count)
            // H.264's 4:2:0 blurs this tiny pattern's colours too much for a pixel check.
            let same = written == frames
            if lossless { #expect(same, "\(name)") }
        }
    }
}
