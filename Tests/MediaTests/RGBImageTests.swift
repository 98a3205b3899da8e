import Testing
import Media

@Suite struct RGBImageTests {
    @Test func pixelsArePackedRowMajorRGB() {
        var image = RGBImage(width: 3, height: 2)
        image[2, 1] = (10, 20, 30)
        #expect(Array(image.pixels[15..<18]) == [10, 20, 30])
        #expect(image.pixels.count == 18 && image.pixels.filter { $0 != 0 }.count == 3)
        #expect(image[2, 1] == (10, 20, 30))
    }
}
