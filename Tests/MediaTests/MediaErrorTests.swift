import Testing
@testable import Media

@Suite struct MediaErrorTests {
    @Test func noVideoStreamReadsAsOneLine() {
        #expect(MediaError.noVideoStream(path: "film.mkv").description == "film.mkv: no video stream")
    }

    @Test func ffmpegCodesCarryTheirText() throws {
        let error = MediaError.ffmpeg(AVErrorCode.endOfFile, "av_read_frame")
        #expect(error == .ffmpeg(code: AVErrorCode.endOfFile, operation: "av_read_frame", reason: "End of file"))
        #expect(error.description == "av_read_frame failed (\(AVErrorCode.endOfFile)): End of file")
        #expect(throws: MediaError.ffmpeg(AVErrorCode.invalidData, "probe")) { try check(AVErrorCode.invalidData, "probe") }
        #expect(try check(7, "fine") == 7)
    }

    @Test func everyCaseIsOneLine() {
        let all: [MediaError] = [
            .cannotOpen(path: "a", reason: "no such file"), .invalidMedia(path: "a", reason: "moov atom not found"),
            .noVideoStream(path: "a"), .stillImage(path: "a.png"), .notAnImage(path: "a"),
            .unsupportedImageType(path: "a.bmp"), .unsupportedContainer(path: "a.xyz"),
            .encoderUnavailable(name: "libx264"), .codecNotInContainer(codec: "FFV1", path: "a.mp4"),
            .cannotWrite(path: "a", reason: "Permission denied"),
            .sizeMismatch(expectedWidth: 2, expectedHeight: 2, width: 4, height: 4),
            .nonIncreasingTimestamp(previous: 2, pts: 1), .invalidArgument("x"), .closed("writer"),
            .ffmpeg(code: -1, operation: "x", reason: "Operation not permitted"),
        ]
        for error in all {
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
        #expect(Set(all.map(\.description)).count == all.count)
    }
}
