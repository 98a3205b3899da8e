import Testing
@testable import Engine

/// Synthetic pairs carry their exact flow: warping the previous frame by it gives the current one
/// wherever the mask says the point was visible.
@Suite struct SyntheticMotionTests {
    @Test func flowIsExactOnALinearPhoto() {
        // Bilinear sampling reproduces a linear image exactly, so any error is the flow's.
        let (h, w) = (60, 80)
        var scalars: [Float] = []
        for c in 0..<3 { for y in 0..<h { for x in 0..<w { scalars.append(Float(c * 20) + 1.5 * Float(x) + 0.7 * Float(y)) } } }
        let photo = Tensor(shape: [1, 3, h, w], scalars: scalars)
        var rng = SplitMix64(seed: 51)
        for _ in 0..<5 {
            let pair = SyntheticMotion().pair(from: photo, size: 32, using: &rng)
            let warped = Warp.backward(PlanarImage(width: 32, height: 32, channels: 3, data: pair.previous.scalars), by: pair.flow).data
            let current = pair.current.scalars
            var worst: Float = 0, visible = 0
            for p in 0..<(32 * 32) where pair.mask[p] == 1 {
                visible += 1
                for c in 0..<3 { worst = max(worst, abs(warped[c * 1024 + p] - current[c * 1024 + p])) }
            }
            #expect(visible > 700)
            #expect(worst < 1e-2)
            #expect(pair.flow.u.contains { $0 != 0 } || pair.flow.v.contains { $0 != 0 })
        }
    }
}
