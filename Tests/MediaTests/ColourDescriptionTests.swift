import Foundation
import Testing
@testable import Media

/// Colour kept: a film is read with the matrix and range it declares, and written back converted
/// and tagged with the same four values, checked with clips ffmpeg's command line encodes and
/// ffprobe reads (`FlatColourClip`).
@Suite struct ColourDescriptionTests {
    @Test func untaggedValuesAreGuessedAsAPlayerDoesAndDeclaredOnesKept() {
        #expect(ColourDescription.unspecified.resolved(width: 64, height: 48) == .bt601NTSC)
        #expect(ColourDescription.unspecified.resolved(width: 720, height: 576) == .bt601PAL)
        #expect(ColourDescription.unspecified.resolved(width: 1280, height: 544) == .bt709)
        #expect(ColourDescription.unspecified.resolved(width: 960, height: 720) == .bt709)
        #expect(!ColourDescription.unspecified.isResolved && ColourDescription.unspecified.resolved(width: 64, height: 48).isResolved)
        #expect(ColourDescription.bt601PAL.resolved(width: 1920, height: 1080) == .bt601PAL)
        // Only the gaps are guessed.
        let matrixOnly = ColourDescription(primaries: 2, transfer: 2, matrix: 1, range: .full)
        #expect(matrixOnly.resolved(width: 64, height: 48) == ColourDescription(primaries: 6, transfer: 6, matrix: 1, range: .full))
        // RGB has no matrix: its YUV output gets the guessed one, in limited range.
        let rgb = ColourDescription(primaries: 1, transfer: 13, matrix: 0, range: .full)
        #expect(rgb.resolved(width: 1920, height: 1080) == ColourDescription(primaries: 1, transfer: 13, matrix: 1, range: .limited))
        // YCgCo is a matrix libswscale cannot apply: resolved like an untagged one.
        #expect(ColourDescription(primaries: 1, transfer: 1, matrix: 8, range: .limited).resolved(width: 1920, height: 1080) == .bt709)
    }

    static let declared: [String: ColourDescription] = [
        FlatColourClip.bt601Limited.name: ColourDescription(primaries: 5, transfer: 6, matrix: 5, range: .limited),
        FlatColourClip.bt709Limited.name: .bt709,
        FlatColourClip.bt709Full.name: ColourDescription(primaries: 1, transfer: 1, matrix: 1, range: .full),
    ]

    @Test(.enabled(if: Tools.hasFFmpeg && Tools.hasFFprobe, "needs ffmpeg and ffprobe"),
          arguments: [FlatColourClip.bt601Limited, .bt709Limited, .bt709Full])
    func aFilmIsReadWithItsTagsAndWrittenBackWithThem(clip: FlatColourClip) throws {
        let folder = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try clip.make(in: folder)
        let (info, frames) = try VideoWriterTests.readAll(input)
        #expect(info.colour == Self.declared[clip.name])
        #expect(info.resolvedColour == Self.declared[clip.name])
        #expect(frames.count == 5)
        for frame in frames {
            #expect(FlatColourClip.worstDifference(frame.image.pixels, width: info.width, height: info.height) <= 2)
        }

        let output = folder.appendingPathComponent("kept.mkv").path
        let writer = try VideoWriter(path: output, width: info.width, height: info.height, frameRate: info.frameRate,
                                     timeBase: info.timeBase, options: EncoderOptions(preset: "ultrafast"), colour: info.resolvedColour)
        for frame in frames { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        #expect(try FlatColourClip.probedTags(output) == FlatColourClip.probedTags(input))
        let again = try VideoWriterTests.readAll(output)
        #expect(again.info.colour == info.colour)
        for frame in again.frames {
            #expect(FlatColourClip.worstDifference(frame.image.pixels, width: info.width, height: info.height) <= 2)
        }
    }

    /// What makes the tests above able to fail: BT.601 samples read as the BT.709 they are
    /// tagged with come out more than 2 levels off.
    @Test(.enabled(if: Tools.hasFFmpeg, "needs ffmpeg"))
    func theDeclaredMatrixIsTheOneApplied() throws {
        let folder = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (info, frames) = try VideoWriterTests.readAll(try FlatColourClip.bt601TaggedAsBT709.make(in: folder, frames: 1))
        #expect(info.colour == .bt709)
        #expect(FlatColourClip.worstDifference(frames[0].image.pixels, width: info.width, height: info.height) > 2)
    }

    /// An SD film that declares nothing is read as BT.601 limited, and its output says so.
    @Test(.enabled(if: Tools.hasFFmpeg && Tools.hasFFprobe, "needs ffmpeg and ffprobe"))
    func anUntaggedFilmIsReadAsAPlayerReadsItAndTheOutputTaggedExplicitly() throws {
        let folder = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try FlatColourClip.untaggedSD.make(in: folder, frames: 2)
        let (info, frames) = try VideoWriterTests.readAll(input)
        #expect(info.colour == .unspecified)
        #expect(info.resolvedColour == .bt601NTSC)
        #expect(FlatColourClip.worstDifference(frames[0].image.pixels, width: info.width, height: info.height) <= 2)

        let output = folder.appendingPathComponent("tagged.mp4").path
        let writer = try VideoWriter(path: output, width: info.width, height: info.height, frameRate: info.frameRate,
                                     timeBase: info.timeBase, options: EncoderOptions(preset: "ultrafast"), colour: info.resolvedColour)
        for frame in frames { try writer.write(frame.image, pts: frame.pts) }
        try writer.finish()
        #expect(try FlatColourClip.probedTags(output)
                == ["color_primaries=smpte170m", "color_range=tv", "color_space=smpte170m", "color_transfer=smpte170m"])
        let again = try VideoWriterTests.readAll(output)
        #expect(FlatColourClip.worstDifference(again.frames[0].image.pixels, width: info.width, height: info.height) <= 2)
    }

    /// Lossless output is RGB (no matrix, full range) but keeps the film's primaries and transfer.
    @Test(.enabled(if: Tools.hasFFmpeg && Tools.hasFFprobe, "needs ffmpeg and ffprobe"))
    func losslessOutputKeepsPrimariesAndTransfer() throws {
        let folder = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (info, frames) = try VideoWriterTests.readAll(try FlatColourClip.bt601Limited.make(in: folder, frames: 1))
        let output = folder.appendingPathComponent("exact.mkv").path
        let writer = try VideoWriter(path: output, width: info.width, height: info.height, frameRate: info.frameRate,
                                     timeBase: info.timeBase, options: EncoderOptions(lossless: true), colour: info.resolvedColour)
        try writer.write(frames[0].image, pts: frames[0].pts)
        try writer.finish()
        #expect(try FlatColourClip.probedTags(output)
                == ["color_primaries=bt470bg", "color_range=pc", "color_space=gbr", "color_transfer=smpte170m"])
        #expect(try VideoWriterTests.readAll(output).frames[0].image == frames[0].image)
    }
}
