import Foundation
import Testing
@testable import Media

@Suite struct ImageIOTests {
    @Test func pngRoundTripIsBitExact() throws {
        var rng = SplitMix64(seed: 11)
        let image = RGBImage.random(width: 37, height: 23, using: &rng)
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("noise.PNG").path
        try ImageIO.save(image, to: path)
        #expect(try ImageIO.load(path: path) == image)
        #expect(try ImageIO.load(data: ImageIO.encode(image, as: .png), name: "noise.png") == image)
    }

    @Test func jpegRoundTripIsClose() throws {
        // A smooth picture: JPEG is made for these, and 4:4:4 at q 2 keeps them nearly intact.
        var image = RGBImage(width: 65, height: 47)
        for y in 0..<image.height {
            for x in 0..<image.width {
                image[x, y] = (UInt8(x * 255 / 64), UInt8(y * 255 / 46), UInt8((x + y) * 255 / 110))
            }
        }
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ramp.jpg").path
        try ImageIO.save(image, to: path)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.prefix(2) == Data([0xFF, 0xD8]))
        let loaded = try ImageIO.load(path: path)
        #expect(loaded.width == 65 && loaded.height == 47)
        #expect(TestMedia.psnr(loaded, image) > 40)
    }

    @Test(.enabled(if: TestMedia.shared("starry_night.jpg") != nil, "needs ../shared/media/starry_night.jpg"))
    func loadsAPaintingFromFileAndFromBytesAlike() throws {
        let path = try #require(TestMedia.shared("starry_night.jpg"))
        let image = try ImageIO.load(path: path)
        #expect(image.width == 1024 && image.height == 640)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        #expect(try ImageIO.load(data: bytes, name: "starry") == image)
        // Not a black or flat picture: The Starry Night has a deep blue sky and yellow stars.
        #expect(Set(image.pixels).count > 200)
    }

    @Test func missingFileCannotOpen() {
        #expect(throws: MediaError.cannotOpen(path: "/nonexistent/x.png", reason: "no such file")) {
            try ImageIO.load(path: "/nonexistent/x.png")
        }
    }

    @Test func textIsNotAnImage() throws {
        let directory = TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notes.png").path
        try Data("these are not pixels\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MediaError.notAnImage(path: path)) { try ImageIO.load(path: path) }
        #expect(throws: MediaError.notAnImage(path: "empty")) { try ImageIO.load(data: [], name: "empty") }
        // A PNG cut short after its header has no decodable picture.
        var rng = SplitMix64(seed: 3)
        let png = try ImageIO.encode(.random(width: 16, height: 16, using: &rng), as: .png)
        #expect(throws: MediaError.notAnImage(path: "cut.png")) { try ImageIO.load(data: Array(png.prefix(40)), name: "cut.png") }
    }

    @Test(.enabled(if: TestMedia.tears != nil, "needs ../shared/media/tears_of_steel_excerpt_640x360.mp4"))
    func aFilmIsNotAnImage() throws {
        let path = try #require(TestMedia.tears)
        #expect(throws: MediaError.notAnImage(path: path)) { try ImageIO.load(path: path) }
    }

    @Test func saveRejectsUnknownExtensions() {
        #expect(throws: MediaError.unsupportedImageType(path: "out.bmp")) {
            try ImageIO.save(RGBImage(width: 2, height: 2), to: "out.bmp")
        }
    }
}
