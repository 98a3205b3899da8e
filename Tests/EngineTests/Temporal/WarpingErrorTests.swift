import Testing
@testable import Engine

@Suite struct WarpingErrorTests {
    /// A reference in Double: carry `previous` with the naive bilinear warp, compare where the mask is 1.
    static func reference(previous: PlanarImage, current: PlanarImage, motion: FrameMotion) -> Double {
        let carried = NaiveWarp.warp(previous, motion.backward, border: .replicate)
        let n = current.planeSize
        var sum = 0.0, count = 0.0
        for i in 0..<n where motion.reliability.data[i] > 0 {
            for c in 0..<3 {
                let d = (Double(current.data[c * n + i]) - carried[c * n + i]) / 255
                sum += d * d
            }
            count += 1
        }
        return count > 0 ? sum / count : 0
    }

    @Test func matchesANaiveReferenceOnRandomFlows() {
        var rng = FlowTestRandom(seed: 9)
        let (w, h) = (11, 7)
        let b = FlowField(width: w, height: h, u: rng.floats(w * h, -2, 2), v: rng.floats(w * h, -2, 2))
        let f = FlowField(width: w, height: h, u: rng.floats(w * h, -2, 2), v: rng.floats(w * h, -2, 2))
        let motion = FrameMotion(backward: b, forward: f)
        let previous = PlanarImage(width: w, height: h, channels: 3, data: rng.floats(3 * w * h, 0, 255))
        let current = PlanarImage(width: w, height: h, channels: 3, data: rng.floats(3 * w * h, 0, 255))
        let fast = WarpingError.between(previous: previous, current: current, motion: motion)
        let slow = Self.reference(previous: previous, current: current, motion: motion)
        #expect(abs(fast - slow) <= 1e-5 * max(slow, 1e-9))
    }

    /// A texture moving 2 px right: carried exactly by the true flow, so the error is 0; a frame
    /// that changes pattern scores its mean squared difference.
    @Test func zeroForContentThatMovesWithTheFlowAndPositiveForFlicker() throws {
        let (w, h) = (40, 28)
        let big = FlowFixtures.texture(width: w + 4, height: h, channels: 3, seed: 4)
        let previous = FlowFixtures.crop(big, x0: 2, y0: 0, width: w, height: h)
        let current = FlowFixtures.crop(big, x0: 0, y0: 0, width: w, height: h)   // content moved right by 2
        let motion = FrameMotion(backward: .constant(width: w, height: h, u: -2, v: 0),
                                 forward: .constant(width: w, height: h, u: 2, v: 0))
        #expect(motion.reliableFraction > 0.9)
        #expect(WarpingError.between(previous: previous, current: current, motion: motion) < 1e-10)
        var flicker = current
        flicker.data = flicker.data.map { min(255, $0 + 51) >= 255 ? $0 - 51 : $0 + 51 }   // +-0.2 everywhere
        let e = WarpingError.between(previous: previous, current: flicker, motion: motion)
        #expect(abs(e - 3 * 0.04) < 1e-4)
    }

    @Test func frameMotionFromDISCarriesAShiftedTexture() throws {
        let (w, h) = (48, 32)
        let big = FlowFixtures.texture(width: w + 3, height: h, channels: 3, seed: 12)
        let previous = FlowFixtures.crop(big, x0: 3, y0: 0, width: w, height: h)
        let current = FlowFixtures.crop(big, x0: 0, y0: 0, width: w, height: h)
        let motion = try FrameMotion(previous: previous, current: current)
        let carried = motion.carry(previous)
        var sum = 0.0, count = 0.0
        for i in 0..<(w * h) where motion.reliability.data[i] > 0 {
            let d = Double(carried.data[i] - current.data[i]); sum += d * d; count += 1
        }
        #expect(count > Double(w * h) / 2)
        #expect((sum / count).squareRoot() < 10)   // a few grey levels after bilinear resampling
    }
}
