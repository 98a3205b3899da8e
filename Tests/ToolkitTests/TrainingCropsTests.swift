import Foundation
import Testing
import Engine
import Media
@testable import Toolkit

/// A tiny `--data` folder of generated photos, read as `vst train` reads it, gives crops of the
/// requested size at several scales, mirrored about half of the time, the same for the same seed.
@Suite struct TrainingCropsTests {
    /// Three photos whose red channel is the column (so a mirrored crop runs right to left) and
    /// whose other channels vary with the photo.
    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-crops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for (k, (w, h)) in [(200, 150), (160, 240), (220, 220)].enumerated() {
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h { for x in 0..<w {
                pixels[(y * w + x) * 3] = UInt8(x * 255 / (w - 1))
                pixels[(y * w + x) * 3 + 1] = UInt8((y * 7 + k * 50) % 256)
                pixels[(y * w + x) * 3 + 2] = UInt8(80 * k)
            } }
            try ImageIO.save(RGBImage(width: w, height: h, pixels: pixels), to: folder.appendingPathComponent("photos/p\(k).png").path)
        }
        return folder
    }

    static func draw(_ photos: [Tensor], size: Int, seed: UInt64, count: Int) -> [(pair: TrainingPair, crop: SyntheticMotion.Crop)] {
        var rng = TrainingRandom(seed: seed)
        return (0..<count).map { i in SyntheticMotion().croppedPair(from: photos[i % photos.count], size: size, using: &rng) }
    }

    @Test func cropsHaveTheSizeVaryInScaleFlipAndRepeatForASeed() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try TrainingDataFolder(path: folder.path)
        #expect(data.photoFolders == [folder.path + "/photos"] && data.videos.isEmpty)
        let size = 32
        let photos = try TrainingPhotos.load(folders: data.photoFolders, size: size)
        #expect(photos.count == 3)
        let samples = Self.draw(photos, size: size, seed: 5, count: 60)

        for (pair, _) in samples { #expect(pair.previous.shape == [1, 3, size, size] && pair.current.shape == [1, 3, size, size]) }
        let scales = samples.map(\.crop.scale)
        #expect(scales.max()! / scales.min()! > 1.8, "scales \(scales.min()!)...\(scales.max()!)")
        let flipped = samples.filter(\.crop.flipped).count
        #expect(flipped > 15 && flipped < 45, "\(flipped) of 60 flipped")
        // The red channel is the photo's column: it falls left to right exactly in mirrored crops.
        for (pair, crop) in samples {
            let row = (0..<size).map { pair.previous[$0] }
            #expect((row.last! < row.first!) == crop.flipped)
        }

        let again = Self.draw(photos, size: size, seed: 5, count: 60)
        #expect(zip(samples, again).allSatisfy { $0.crop == $1.crop && $0.pair.current.scalars == $1.pair.current.scalars })
        let other = Self.draw(photos, size: size, seed: 6, count: 60)
        #expect(zip(samples, other).contains { $0.crop != $1.crop })
    }

    @Test func aFolderWithNeitherPhotosNorVideoIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ToolkitError.self) { try TrainingDataFolder(path: folder.path) }
    }
}
