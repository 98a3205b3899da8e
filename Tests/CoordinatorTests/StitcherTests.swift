import Foundation
import Testing
@testable import Coordinator
import Engine
import Media

@Suite struct StitcherTests {
    @Test func rampRisesTowardTheLaterRender() {
        #expect(Stitcher.laterWeight(position: 0, overlapLength: 3) == 0.25)
        #expect(Stitcher.laterWeight(position: 2, overlapLength: 3) == 0.75)
    }

    @Test func blendMatchesAPlainDoubleReference() {
        var rng = SplitMix64(seed: 11)
        let count = 7 * 5 * 3
        let earlier = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let later = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for position in 0..<4 {
            let out = Stitcher.blend(earlier: earlier, later: later, position: position, overlapLength: 4)
            let w = Double(position + 1) / 5
            for i in 0..<count {
                let reference = Double(earlier[i]) * (1 - w) + Double(later[i]) * w
                #expect(abs(Double(out[i]) - reference) <= 0.5 + 1e-9)
            }
        }
    }

    @Test func identicalRendersBlendToThemselves() {
        var rng = SplitMix64(seed: 3)
        let frame = (0..<(9 * 3 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for position in 0..<5 {
            #expect(Stitcher.blend(earlier: frame, later: frame, position: position, overlapLength: 5) == frame)
        }
    }
}

/// The temporal stitch on a tiny pan: the input and two "styled" chains, each a pattern that
/// moves exactly with the picture but differs from the other (as two Gatys chains do). The
/// warping error (Lai et al.) at the boundary frames must fall well below a hard cut's.
@Suite struct TemporalStitchTests {
    static let (width, height, frames) = (48, 32, 10)

    /// Frame t of a pan over a sum of sinusoids (seeded): the view moves 1 px right per frame.
    static func pan(seed: UInt64, contrast: Double) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let waves = (0..<10).map { _ in (fx: unit() * 0.6, fy: unit() * 0.6, phase: unit() * 6.28, c: Int(rng.next() % 3)) }
        return (0..<frames).map { t in
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height { for x in 0..<width {
                var rgb = [128.0, 128.0, 128.0]
                for w in waves {
                    let angle: Double = w.fx * Double(x - t) + w.fy * Double(y) + w.phase
                    rgb[w.c] += contrast * sin(angle)
                }
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, rgb[c].rounded()))) }
            } }
            return pixels
        }
    }

    static func planar(_ p: [UInt8]) -> PlanarImage { PlanarImage(packedRGB: p, width: width, height: height) }

    /// Warping error of `output` at each frame t >= 1 against the input's motion.
    static func errors(_ output: [[UInt8]], input: [[UInt8]]) throws -> [Double] {
        try (1..<frames).map { t in
            let motion = try FrameMotion(previous: planar(input[t - 1]), current: planar(input[t]))
            return WarpingError.between(previous: planar(output[t - 1]), current: planar(output[t]), motion: motion)
        }
    }

    @Test func stitchingLowersTheBoundaryErrorAgainstAHardCut() throws {
        let input = Self.pan(seed: 1, contrast: 40)
        let earlier = Self.pan(seed: 2, contrast: 60), later = Self.pan(seed: 3, contrast: 60)
        let (renderStart, ownStart) = (3, 7)   // overlap frames 3..<7, the later chunk owns 7...
        let overlap = ownStart - renderStart

        let hardCut = (0..<Self.frames).map { $0 < ownStart ? earlier[$0] : later[$0] }
        let stitcher = SeamStitcher { Media.RGBImage(width: Self.width, height: Self.height, pixels: input[$0]) }
        var stitched: [[UInt8]] = []
        var ramp: [[UInt8]] = []
        for t in 0..<Self.frames {
            let renders = t < renderStart ? [earlier[t]] : t < ownStart ? [earlier[t], later[t]] : [later[t]]
            stitched.append(try stitcher.final(frame: t, renders: renders, position: t - renderStart, overlapLength: overlap))
            ramp.append(renders.count == 2 ? Stitcher.blend(earlier: renders[0], later: renders[1], position: t - renderStart,
                                                            overlapLength: overlap) : renders[0])
        }
        #expect(stitched[ownStart] == later[ownStart] && stitched[renderStart - 1] == earlier[renderStart - 1])

        // Boundary frames: the overlap and the later chunk's first own frame (errors index t - 1).
        let boundary = (renderStart...ownStart).map { $0 - 1 }
        func boundaryMean(_ e: [Double]) -> Double { boundary.map { e[$0] }.reduce(0, +) / Double(boundary.count) }
        func peak(_ e: [Double]) -> Double { boundary.map { e[$0] }.max()! }
        let cut = try Self.errors(hardCut, input: input), temporal = try Self.errors(stitched, input: input)
        let linear = try Self.errors(ramp, input: input)
        let interior = cut[0..<(renderStart - 1)].reduce(0, +) / Double(renderStart - 1)
        #expect(boundaryMean(temporal) < 0.5 * boundaryMean(cut), "stitched \(temporal) vs hard cut \(cut)")
        #expect(peak(temporal) < 0.3 * peak(cut), "stitched \(temporal) vs hard cut \(cut)")
        // The carried frame keeps the hand-over moving with the picture: no worse than the plain ramp.
        #expect(boundaryMean(temporal) <= 1.1 * boundaryMean(linear), "stitched \(temporal) vs ramp \(linear), interior \(interior)")
    }

    /// The seam tail: the carried frame's share goes on falling over `tail` more frames, so the
    /// hand-over takes more, smaller steps: less error over the whole hand-over and a lower peak,
    /// the later chain exactly after it, and renders that agree (`copy`) still pass through.
    @Test func aSeamTailSpreadsTheHandOverOverMoreFrames() throws {
        let input = Self.pan(seed: 1, contrast: 40)
        let earlier = Self.pan(seed: 2, contrast: 60), later = Self.pan(seed: 3, contrast: 60)
        let (renderStart, ownStart, tail) = (2, 5, 3)
        func stitch(tail: Int, earlier: [[UInt8]]) throws -> [[UInt8]] {
            let stitcher = SeamStitcher { Media.RGBImage(width: Self.width, height: Self.height, pixels: input[$0]) }
            return try (0..<Self.frames).map { t in
                let renders = t < renderStart ? [earlier[t]] : t < ownStart ? [earlier[t], later[t]] : [later[t]]
                return try stitcher.final(frame: t, renders: renders, position: t - renderStart, overlapLength: ownStart - renderStart, tail: tail)
            }
        }
        let plain = try stitch(tail: 0, earlier: earlier), tailed = try stitch(tail: tail, earlier: earlier)
        #expect(tailed[..<renderStart] == plain[..<renderStart])
        #expect(tailed[ownStart] != later[ownStart] && plain[ownStart] == later[ownStart])
        #expect(Array(tailed[(ownStart + tail)...]) == Array(later[(ownStart + tail)...]))

        let span = (renderStart...(ownStart + tail)).map { $0 - 1 }   // errors index t - 1
        let e0 = try Self.errors(plain, input: input), e1 = try Self.errors(tailed, input: input)
        let (sum0, sum1) = (span.map { e0[$0] }.reduce(0, +), span.map { e1[$0] }.reduce(0, +))
        let (peak0, peak1) = (span.map { e0[$0] }.max()!, span.map { e1[$0] }.max()!)
        #expect(sum1 < 0.8 * sum0, "tail \(e1) vs none \(e0)")
        #expect(peak1 < 0.6 * peak0, "tail \(e1) vs none \(e0)")

        let copies = try stitch(tail: tail, earlier: later)
        #expect(copies == later)
    }

    @Test func unreliablePixelsTakeThePlainRamp() {
        let earlier: [UInt8] = [10, 10, 10, 10, 10, 10], later: [UInt8] = [90, 90, 90, 90, 90, 90]
        let carried = PlanarImage(width: 2, height: 1, channels: 3, data: [200, 200, 200, 200, 200, 200])
        let out = Stitcher.stitch(earlier: earlier, later: later, carried: carried, reliability: [1, 0], position: 0, overlapLength: 3)
        // Pixel 0: carried 200 mixed with later 90 at 1/4; pixel 1: ramp 10 -> 90 at 1/4.
        #expect(Array(out[0..<3]) == [173, 173, 173])
        #expect(Array(out[3..<6]) == [30, 30, 30])
        #expect(Stitcher.carryMix(position: 0, overlapLength: 3) == 0.25 && Stitcher.carryMix(position: 2, overlapLength: 3) == 0.5)
    }
}
