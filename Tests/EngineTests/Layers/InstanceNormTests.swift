import Testing
@testable import Engine

@Suite struct InstanceNormTests {
    func layer(channels: Int, using rng: inout SplitMix64) -> InstanceNorm {
        let norm = InstanceNorm(channels: channels)
        norm.scale = Tensor.random([channels], in: 0.5...1.5, using: &rng)
        norm.shift = Tensor.random([channels], using: &rng)
        return norm
    }

    @Test(arguments: [[1, 3, 5, 7], [2, 2, 4, 3], [1, 1, 1, 2], [1, 2, 70, 65]])
    func forwardMatchesNaive(_ shape: [Int]) {
        var rng = SplitMix64(seed: 21)
        let norm = layer(channels: shape[1], using: &rng)
        let x = Tensor.random(shape, in: -2...3, using: &rng)
        let naive = NaiveInstanceNorm.forward(x, scale: norm.scale, shift: norm.shift)
        #expect(norm.forward(x).relativeError(to: naive) < Tolerance.forward)
    }

    @Test(arguments: [[1, 3, 5, 7], [2, 2, 4, 3]])
    func backwardMatchesFiniteDifferences(_ shape: [Int]) {
        var rng = SplitMix64(seed: 22)
        let norm = layer(channels: shape[1], using: &rng)
        let x = Tensor.random(shape, using: &rng)
        let r = Tensor.random(shape, using: &rng)
        _ = norm.forward(x)
        let dx = norm.backward(r)
        let (dg, db) = (norm.scaleGradient, norm.shiftGradient)
        let numericX = GradientCheck.numericGradient(of: { norm.forward($0) }, at: x, projection: r, step: 1e-3)
        #expect(dx.relativeError(to: numericX) < Tolerance.gradient)
        let (g0, b0) = (norm.scale, norm.shift)
        let numericG = GradientCheck.numericGradient(of: { g in norm.scale = g; return norm.forward(x) },
                                                     at: g0, projection: r)
        norm.scale = g0
        #expect(dg.relativeError(to: numericG) < Tolerance.gradient)
        let numericB = GradientCheck.numericGradient(of: { b in norm.shift = b; return norm.forward(x) },
                                                     at: b0, projection: r)
        #expect(db.relativeError(to: numericB) < Tolerance.gradient)
    }

    /// Planes longer than the 4096-element blocks the SIMD sums flush at.
    @Test func largePlaneBackwardMatchesFormula() {
        var rng = SplitMix64(seed: 24)
        let norm = layer(channels: 2, using: &rng)
        let x = Tensor.random([1, 2, 70, 65], in: -1...3, using: &rng)
        let dy = Tensor.random(x.shape, using: &rng)
        _ = norm.forward(x)
        let dx = norm.backward(dy)
        #expect(dx.relativeError(to: NaiveInstanceNorm.inputGradient(x, dy, scale: norm.scale)) < 1e-4)
    }

    @Test func withoutAffineOutputHasZeroMeanUnitVariance() {
        var rng = SplitMix64(seed: 23)
        let x = Tensor.random([1, 2, 6, 5], in: 3...9, using: &rng)
        let y = InstanceNorm(channels: 2, affine: false).forward(x)
        for p in 0..<2 {
            let v = (0..<30).map { Double(y[p * 30 + $0]) }
            let mean = v.reduce(0, +) / 30
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 30
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-3)
        }
    }
}
