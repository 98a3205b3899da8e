import Testing
@testable import Engine

@Suite struct ReLUTests {
    @Test func forwardMatchesNaive() {
        var rng = SplitMix64(seed: 1)
        let x = Tensor.random([2, 3, 5, 7], using: &rng)
        let y = ReLU().forward(x)
        #expect(y.shape == x.shape)
        #expect(y.scalars == x.scalars.map { max($0, 0) })
    }

    @Test func backwardMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 2)
        let x = Tensor.randomAwayFromZero([1, 3, 5, 7], using: &rng)
        let r = Tensor.random(x.shape, using: &rng)
        let relu = ReLU()
        _ = relu.forward(x)
        let dx = relu.backward(r)
        let numeric = GradientCheck.numericGradient(of: { ReLU().forward($0) }, at: x, projection: r, step: 1e-2)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)
    }

    @Test func largeInputTakesTheParallelPath() {
        var rng = SplitMix64(seed: 3)
        let x = Tensor.random([1, 4, 123, 131], using: &rng)
        let relu = ReLU()
        #expect(relu.forward(x).scalars == x.scalars.map { max($0, 0) })
        let g = Tensor.random(x.shape, using: &rng)
        let expected = (0..<x.count).map { x[$0] > 0 ? g[$0] : 0 }
        #expect(relu.backward(g).scalars == expected)
    }
}
