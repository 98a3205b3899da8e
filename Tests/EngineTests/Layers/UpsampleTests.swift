import Testing
@testable import Engine

@Suite struct UpsampleTests {
    @Test(arguments: [1, 2, 3])
    func forwardMatchesNaive(_ factor: Int) {
        var rng = SplitMix64(seed: 31)
        let x = Tensor.random([2, 3, 4, 5], using: &rng)
        #expect(Upsample(factor: factor).forward(x) == NaiveUpsample.forward(x, factor: factor))
    }

    @Test(arguments: [2, 3])
    func backwardMatchesFiniteDifferences(_ factor: Int) {
        var rng = SplitMix64(seed: 32)
        let x = Tensor.random([1, 2, 3, 5], using: &rng)
        let up = Upsample(factor: factor)
        let r = Tensor.random(up.forward(x).shape, using: &rng)
        let dx = up.backward(r)
        let numeric = GradientCheck.numericGradient(of: { Upsample(factor: factor).forward($0) }, at: x, projection: r)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)
    }
}
