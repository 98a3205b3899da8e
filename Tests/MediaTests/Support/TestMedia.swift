import Foundation
import Media

/// Paths to ../shared test material and scratch files for Media's tests.
enum TestMedia {
    /// The worktree root: Tests/MediaTests/Support/ is three levels below it.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file in ../shared/media, or nil when the shared material is absent.
    static func shared(_ name: String) -> String? {
        let path = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/media/\(name)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static var bunny: String? { shared("bigbuckbunny.mp4") }
    static var tears: String? { shared("tears_of_steel_excerpt_640x360.mp4") }

    /// A fresh empty directory under the system temp directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vst-media-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Peak signal-to-noise ratio in dB between two images of the same size (infinity if equal).
    static func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var sum = 0.0
        for i in 0..<a.pixels.count {
            let d = Double(a.pixels[i]) - Double(b.pixels[i])
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }
}

/// A seeded generator so random test images repeat exactly (SplitMix64, as in the other targets).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RGBImage {
    static func random(width: Int, height: Int, using rng: inout SplitMix64) -> RGBImage {
        RGBImage(width: width, height: height, pixels: (0..<width * height * 3).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
}
