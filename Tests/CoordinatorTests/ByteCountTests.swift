import Testing
import Coordinator

/// `--disk-budget`'s sizes in, the summary's sizes out.
@Suite struct ByteCountTests {
    @Test func parsesBinaryUnitsAndPlainBytes() {
        #expect(ByteCount.parse("512M") == 512 << 20)
        #expect(ByteCount.parse("2G") == 2 << 30)
        #expect(ByteCount.parse("1.5GiB") == 3 << 29)
        #expect(ByteCount.parse("64k") == 64 << 10)
        #expect(ByteCount.parse("1048576") == 1 << 20)
        #expect(ByteCount.parse("2 GB") == nil)          // a space inside is not a size
        #expect(ByteCount.parse("-1G") == nil)
        #expect(ByteCount.parse("lots") == nil)
    }

    @Test func formatsWithOneDecimalFromKibibytesOn() {
        #expect(ByteCount.format(812) == "812 B")
        #expect(ByteCount.format(3 << 29) == "1.5 GiB")
        #expect(ByteCount.format(27 << 20) == "27.0 MiB")
    }
}
