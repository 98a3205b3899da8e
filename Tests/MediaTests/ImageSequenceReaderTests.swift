import Foundation
import Testing
@testable import Media

@Suite struct ImageSequenceReaderTests {
    /// Three 64x48 16-bit PNGs numbered from 7 with every one of the 16 bits in use
    /// (FFmpeg's geq at 16 bits, so not our own encoder).
    static func deepFrames(in folder: URL) throws -> ImageSequencePattern {
        _ = try Tools.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=24", "-frames:v", "3",
                                     "-vf", "format=gbrp16le,geq=r='mod(X*997+Y*131+N*7001,65536)':g='mod(X*31+Y*7919,65536)':b='mod(X*Y*13+N,65536)'",
                                     "-pix_fmt", "rgb48be", "-start_number", "7", folder.appendingPathComponent("%04d.png").path])
        return try #require(try ImageSequencePattern.parse(folder.appendingPathComponent("%04d.png").path))
    }

    /// FFmpeg's own reading of a picture as little-endian 16-bit RGB.
    static func ffmpegRGB48(_ path: String) throws -> [UInt16] {
        let data = try Tools.run("ffmpeg", ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb48le", "-"])
        return stride(from: 0, to: data.count, by: 2).map { UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8 }
    }

    @Test(.enabled(if: Tools.hasFFmpeg)) func sixteenBitFramesKeepEveryBit() throws {
        let folder = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reader = try ImageSequenceReader(sequence: ImageSequence(scanning: Self.deepFrames(in: folder)), frameRate: Rational(24, 1))
        #expect(reader.isDeep && reader.firstNumber == 7 && reader.info.frameCount == 3 && reader.info.width == 64)
        #expect(reader.info.frameRate == Rational(24, 1) && reader.info.timeBase == Rational(1, 24))
        let deep = try #require(try reader.deepFrame(at: 1))
        #expect(deep.pixels == (try Self.ffmpegRGB48(folder.appendingPathComponent("0008.png").path)))
        try reader.seek(toFrame: 1)
        let frame = try #require(try reader.nextFrame())
        #expect(frame.index == 1 && frame.pts == 1 && frame.image == deep.narrowed())
        #expect(try reader.nextFrame() != nil && reader.nextFrame() == nil)
    }

    @Test func anEightBitRenderWidensBackToItsOriginalWhereItIsUnchanged() {
        var rng = SplitMix64(seed: 11)
        let original = RGB48Image(width: 5, height: 3, pixels: (0..<45).map { _ in UInt16.random(in: 0...UInt16.max, using: &rng) })
        #expect(original.narrowed().widened(keepingDetailOf: original) == original)
        // A changed value keeps the original's fine part and stays in range.
        var render = original.narrowed()
        render.pixels = render.pixels.map { 255 - $0 }
        let widened = render.widened(keepingDetailOf: original)
        for i in widened.pixels.indices {
            #expect(abs(Int(widened.pixels[i]) - Int(render.pixels[i]) * 257) <= 128)
        }
    }

    @Test func sixteenBitPNGsRoundTripThroughOurEncoder() throws {
        var rng = SplitMix64(seed: 5)
        let image = RGB48Image(width: 7, height: 4, pixels: (0..<84).map { _ in UInt16.random(in: 0...UInt16.max, using: &rng) })
        let picture = try ImageIO.decodePicture(data: ImageIO.encodePNG(image), name: "deep.png")
        #expect(picture.bitsPerChannel == 16)
        #expect(try ImageIO.rgb48(picture, width: 7, height: 4) == image)
    }

    @Test func aFrameOfAnotherSizeIsRefusedNamingIt() throws {
        let (pattern, folder) = try ImageSequenceTests.frames([1, 2, 3])
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SplitMix64(seed: 9)
        try ImageIO.save(RGBImage.random(width: 20, height: 12, using: &rng), to: pattern.path(2))
        let reader = try ImageSequenceReader(sequence: ImageSequence(scanning: pattern), frameRate: Rational(25, 1))
        #expect(!reader.isDeep)
        _ = try reader.nextFrame()
        #expect(throws: MediaError.invalidMedia(path: pattern.path(2), reason: "20x12, the sequence's first frame is 16x12")) { try reader.nextFrame() }
        try ImageIO.save(RGBImage.random(width: 20, height: 12, using: &rng), to: pattern.path(3))
        #expect(throws: MediaError.self) { try ImageSequenceReader(sequence: ImageSequence(scanning: pattern), frameRate: Rational(25, 1)) }
    }

    @Test func framesRatesAreReadAsFFmpegReadsThem() {
        #expect(Rational(frameRate: "24") == Rational(24, 1))
        #expect(Rational(frameRate: "30000/1001") == Rational(30000, 1001))
        #expect(Rational(frameRate: "23.976") == Rational(2997, 125))
        #expect(Rational(frameRate: "fast") == nil && Rational(frameRate: "0") == nil && Rational(frameRate: "-5") == nil)
    }
}
