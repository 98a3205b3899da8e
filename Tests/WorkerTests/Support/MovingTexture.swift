import Engine
import Foundation
import Media
import MediaBridge
@testable import Worker

/// Tiny test films made in memory: a smooth colour texture panned across the frame, and a
/// striped "painting" to style it with.
enum MovingTexture {
    /// SplitMix64, so every texture is repeatable.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// `count` frames of `width` x `height`, the view moving `step` pixels right per frame over a
    /// blurred random colour field (sums of a few random sinusoids: detail at several scales).
    static func frames(count: Int, width: Int, height: Int, step: Int = 1, seed: UInt64 = 1) -> [RGBImage] {
        var rng = Random(state: seed)
        let waves = (0..<8).map { _ in (fx: rng.unit() * 0.5, fy: rng.unit() * 0.5, phase: rng.unit() * 6.28, c: Int(rng.next() % 3)) }
        return (0..<count).map { t in
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height { for x in 0..<width {
                let sx = Double(x - step * t)
                var rgb = [128.0, 128.0, 128.0]
                for w in waves { rgb[w.c] += 45 * sin(w.fx * sx + w.fy * Double(y) + w.phase) }
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, rgb[c].rounded()))) }
            } }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    /// `count` frames of a still colour field with a dark vertical bar `barWidth` wide crossing
    /// it, `step` pixels right per frame from x = 2: an occluder that hides a band and shows it again.
    static func passingBar(count: Int, width: Int, height: Int, barWidth: Int, step: Int) -> [RGBImage] {
        let background = frames(count: 1, width: width, height: height, seed: 7)[0]
        return (0..<count).map { t in
            var pixels = background.pixels
            let x0 = 2 + step * t
            for y in 0..<height { for x in 0..<width where x >= x0 && x < x0 + barWidth {
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = [30, 20, 60][c] }
            } }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    /// Diagonal colour stripes: a style with strong, oriented texture.
    static func stripes(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<width {
            let band = ((x + 2 * y) / 3) % 3
            let rgb: [UInt8] = band == 0 ? [230, 200, 40] : band == 1 ? [20, 40, 160] : [240, 240, 240]
            for c in 0..<3 { pixels[(y * width + x) * 3 + c] = rgb[c] }
        } }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The real VGG-16 weights when the models folder has them (scripts/setup.sh fetches them),
    /// seeded random ones otherwise: the temporal terms work the same over either.
    static let weights: VGGWeights = {
        let path = ModelStore.defaultWeightsPath()
        if FileManager.default.fileExists(atPath: path), let w = try? VGGWeights.load(path: path) { return w }
        return VGGWeights.random(.vgg16, seed: 3)
    }()

    /// Mean warping error (Lai et al.) of `styled` against the motion of `input`.
    static func meanWarpingError(input: [RGBImage], styled: [RGBImage]) throws -> Double {
        var sum = 0.0
        for t in 1..<input.count {
            let motion = try FrameMotion(previous: input[t - 1].planar, current: input[t].planar)
            sum += WarpingError.between(previous: styled[t - 1].planar, current: styled[t].planar, motion: motion)
        }
        return sum / Double(input.count - 1)
    }
}
