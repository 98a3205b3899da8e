import Testing
import Media

@Suite struct MediaErrorTests {
    @Test func noVideoStreamReadsAsOneLine() {
        #expect(MediaError.noVideoStream(path: "film.mkv").description == "film.mkv: no video stream")
    }
}
