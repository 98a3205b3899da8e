import Testing
import Media

@Suite struct RationalTests {
    @Test func rescalesExactlyAndRoundsToNearest() {
        let mp4 = Rational(1, 12800), mkv = Rational(1, 1000)
        #expect(mp4.rescale(512, to: mkv) == 40)
        #expect(Rational(1, 12288).rescale(512, to: mkv) == 42) // 41.67 ms
        #expect(mkv.rescale(40, to: mp4) == 512)
        #expect(Rational(25, 1).inverse.rescale(1, to: mp4) == 512)
        #expect(mp4.seconds(12800) == 1)
        #expect(Rational(30000, 1001).doubleValue == 30000.0 / 1001)
        #expect(Rational(24, 1).description == "24/1")
    }
}
