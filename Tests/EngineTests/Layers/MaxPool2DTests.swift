import Testing
@testable import Engine

@Suite struct MaxPool2DTests {
    /// Distinct values at least 0.05 apart, so a finite-difference step never changes a winner.
    func distinct(_ shape: [Int], using rng: inout SplitMix64) -> Tensor {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }.shuffled(using: &rng)
        return Tensor(shape: shape, scalars: values)
    }

    @Test(arguments: [[1, 2, 6, 8], [2, 3, 7, 5], [1, 1, 2, 2]])
    func forwardMatchesNaive(_ shape: [Int]) {
        var rng = SplitMix64(seed: 4)
        let x = Tensor.random(shape, using: &rng)
        #expect(MaxPool2D().forward(x) == NaiveMaxPool2D.forward(x))
    }

    @Test(arguments: [[1, 2, 6, 8], [2, 3, 7, 5]])
    func backwardMatchesFiniteDifferences(_ shape: [Int]) {
        var rng = SplitMix64(seed: 5)
        let x = distinct(shape, using: &rng)
        let pool = MaxPool2D()
        let r = Tensor.random(pool.forward(x).shape, using: &rng)
        let dx = pool.backward(r)
        let numeric = GradientCheck.numericGradient(of: { MaxPool2D().forward($0) }, at: x, projection: r, step: 1e-2)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)
    }
}
