import Testing
@testable import Media

@Suite struct ImageSequencePatternTests {
    @Test func aPlainNameIsNoPattern() throws {
        #expect(try ImageSequencePattern.parse("film.mkv") == nil)
        #expect(try ImageSequencePattern.parse("shots/50%.mkv") == nil)
        #expect(try ImageSequencePattern.parse("shots/100%%d.png") == nil) // %% then a literal d
        #expect(try ImageSequencePattern.parse("%04d/frame.png") == nil) // only the file name counts
    }

    @Test func paddedAndBareNumbersAreWrittenAsFFmpegWritesThem() throws {
        let padded = try #require(try ImageSequencePattern.parse("shot/%04d.png"))
        #expect(padded.folder == "shot" && padded.digits == 4 && padded.path(7) == "shot/0007.png" && padded.path(12345) == "shot/12345.png")
        // FFmpeg pads %4d with zeros too, not spaces.
        let width = try #require(try ImageSequencePattern.parse("shot/%4d.png"))
        #expect(width.path(7) == "shot/0007.png")
        let bare = try #require(try ImageSequencePattern.parse("f_%d.tif"))
        #expect(bare.path(7) == "f_7.tif" && bare.folder == "." && bare.fileExtension == "tif")
        let percent = try #require(try ImageSequencePattern.parse("/a/50%%_%03d.PNG"))
        #expect(percent.path(1) == "/a/50%_001.PNG" && percent.fileExtension == "png")
    }

    @Test func fileNamesAreMatchedOnlyWhenThePatternWouldWriteThem() throws {
        let padded = try #require(try ImageSequencePattern.parse("s/%04d.png"))
        #expect(padded.number(ofFileName: "0012.png") == 12)
        #expect(padded.number(ofFileName: "12345.png") == 12345)
        #expect(padded.number(ofFileName: "012.png") == nil)
        #expect(padded.number(ofFileName: "0012.png.partial") == nil)
        #expect(padded.number(ofFileName: ".png") == nil)
        let bare = try #require(try ImageSequencePattern.parse("s/%d.png"))
        #expect(bare.number(ofFileName: "7.png") == 7 && bare.number(ofFileName: "007.png") == nil)
    }

    @Test func badPatternsAreRefused() {
        #expect(throws: MediaError.self) { try ImageSequencePattern.parse("s/%04d_%04d.png") }
        #expect(throws: MediaError.self) { try ImageSequencePattern.parse("s/%s_%04d.png") }
        #expect(throws: MediaError.self) { try ImageSequencePattern.parse("s/%04d%") }
    }
}
