import Engine
import Foundation
import Testing

/// `OutputStabilizer`: a still picture stays still however the network's frames jitter, what the
/// flow cannot carry (a disocclusion, a cut) takes the network's new frame, and the chain can be
/// restarted from a frame already sent.
@Suite struct OutputStabilizerTests {
    static let (width, height) = (32, 24)

    /// A smooth colour field (sums of sinusoids) with `square` painted over it, packed RGB.
    static func scene(square: (x: Int, y: Int, side: Int)? = nil, phase: Double = 0) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<width {
            let inside = square.map { x >= $0.x && x < $0.x + $0.side && y >= $0.y && y < $0.y + $0.side } ?? false
            for c in 0..<3 {
                let v = inside ? 230.0 - 90 * Double(c)
                    : 120 + 50 * sin(0.31 * Double(x) + 0.9 * Double(c) + phase) + 40 * cos(0.23 * Double(y) - 0.5 * Double(c) + phase)
                pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, v.rounded())))
            }
        } }
        return pixels
    }

    /// `base` with every byte moved by up to +-`amplitude`, a different draw per seed.
    static func jittered(_ base: [UInt8], amplitude: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return base.map { UInt8(max(0, min(255, Int($0) + Int(rng.next() % UInt64(2 * amplitude + 1)) - amplitude))) }
    }

    static func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
    }

    @Test func aStaticSceneStaysStaticWhileTheNetworksFramesJitter() throws {
        let input = Self.scene(), styled = Self.scene(phase: 2)
        var stabilizer = OutputStabilizer(strength: 0.8)
        var raws: [[UInt8]] = [], outputs: [[UInt8]] = []
        for t in 0..<14 {
            let raw = Self.jittered(styled, amplitude: 20, seed: UInt64(t + 1))
            raws.append(raw)
            outputs.append(try stabilizer.next(input: input, raw: raw, width: Self.width, height: Self.height))
        }
        #expect(outputs[0] == raws[0])
        // Frame-to-frame change once the chain has run a few frames: an average of the draws
        // moves far less than the draws themselves (about 0.15x in theory at strength 0.8).
        let rawChange = (5..<14).map { Self.meanAbsoluteDifference(raws[$0], raws[$0 - 1]) }.reduce(0, +)
        let change = (5..<14).map { Self.meanAbsoluteDifference(outputs[$0], outputs[$0 - 1]) }.reduce(0, +)
        #expect(change < 0.3 * rawChange, "output changes \(change), raw \(rawChange)")
        // And it stays near the jitter-free picture, not drifting off it.
        #expect(Self.meanAbsoluteDifference(outputs[13], styled) < 0.5 * Self.meanAbsoluteDifference(raws[13], styled))

        // Without jitter the steadied frames do not move at all.
        var still = OutputStabilizer(strength: 0.8)
        let frames = try (0..<4).map { _ in try still.next(input: input, raw: styled, width: Self.width, height: Self.height) }
        #expect(frames.allSatisfy { $0 == styled })
    }

    @Test func aDisoccludedRegionTakesTheNewFrame() {
        // A square moves 4 px right over a still background; the flows are exact.
        let (w, h) = (Self.width, Self.height)
        let before = Self.scene(square: (6, 8, 6)), after = Self.scene(square: (10, 8, 6))
        var backward = FlowField(width: w, height: h), forward = FlowField(width: w, height: h)
        for y in 8..<14 {
            for x in 10..<16 { backward.u[y * w + x] = -4 }
            for x in 6..<12 { forward.u[y * w + x] = 4 }
        }
        let motion = FrameMotion(backward: backward, forward: forward)
        let previousInput = PlanarImage(packedRGB: before, width: w, height: h)
        let input = PlanarImage(packedRGB: after, width: w, height: h)
        let trust = OutputStabilizer.trust(motion: motion, previousInput: previousInput, input: input)
        let previousOutput = [UInt8](repeating: 10, count: w * h * 3), raw = Self.jittered(after, amplitude: 30, seed: 3)
        let out = OutputStabilizer.blend(raw: raw, carried: motion.carry(PlanarImage(packedRGB: previousOutput, width: w, height: h)),
                                         trust: trust, strength: 0.7)
        func pixel(_ image: [UInt8], _ x: Int, _ y: Int) -> [UInt8] { Array(image[3 * (y * w + x)..<3 * (y * w + x) + 3]) }
        // Where the square was and the background shows again: the network's new frame.
        for y in 8..<14 { for x in 6..<10 {
            #expect(trust[y * w + x] == 0)
            #expect(pixel(out, x, y) == pixel(raw, x, y), "pixel \(x),\(y)")
        } }
        // Still background away from the square, and the square's inside, carried: 0.7 of the way to 10.
        for (x, y) in [(25, 3), (28, 20), (2, 2), (12, 10)] {
            #expect(trust[y * w + x] == 1)
            let expected = pixel(raw, x, y).map { UInt8((Float($0) + 0.7 * (10 - Float($0))).rounded()) }
            #expect(pixel(out, x, y) == expected, "pixel \(x),\(y)")
        }
    }

    @Test func aSceneCutTakesTheNewFrame() throws {
        var stabilizer = OutputStabilizer(strength: 0.9)
        let first = Self.scene(), cut = Self.jittered([UInt8](repeating: 128, count: first.count), amplitude: 100, seed: 9)
        _ = try stabilizer.next(input: first, raw: Self.scene(phase: 1), width: Self.width, height: Self.height)
        let raw = Self.scene(phase: 3)
        let out = try stabilizer.next(input: cut, raw: raw, width: Self.width, height: Self.height)
        #expect(out == raw)
    }

    @Test func aChainRestartedAtASentFrameGoesOnAsTheUninterruptedOne() throws {
        // The scene pans by a pixel a frame and the network's frames jitter.
        let inputs = (0..<5).map { Self.scene(phase: 0.3 * Double($0)) }
        let raws = (0..<5).map { Self.jittered(Self.scene(phase: 2 + 0.3 * Double($0)), amplitude: 15, seed: UInt64($0 + 20)) }
        var whole = OutputStabilizer(strength: 0.6)
        let outputs = try (0..<5).map { try whole.next(input: inputs[$0], raw: raws[$0], width: Self.width, height: Self.height) }
        #expect(outputs[3] != raws[3])
        var resumed = OutputStabilizer(strength: 0.6)
        resumed.start(input: inputs[2], output: outputs[2], width: Self.width, height: Self.height)
        let third = try resumed.next(input: inputs[3], raw: raws[3], width: Self.width, height: Self.height)
        let fourth = try resumed.next(input: inputs[4], raw: raws[4], width: Self.width, height: Self.height)
        #expect(third == outputs[3] && fourth == outputs[4])
    }
}
