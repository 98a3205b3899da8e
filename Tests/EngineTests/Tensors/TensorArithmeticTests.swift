import Testing
@testable import Engine

@Suite struct TensorArithmeticTests {
    @Test func elementwiseOperatorsMatchScalarLoops() {
        var rng = SplitMix64(seed: 51)
        // Large enough to be split across threads, odd so the scalar tails run too.
        let a = Tensor.random([1, 3, 101, 113], using: &rng), b = Tensor.random([1, 3, 101, 113], using: &rng)
        let (sa, sb) = (a.scalars, b.scalars)
        #expect((a + b).scalars == zip(sa, sb).map { $0 + $1 })
        #expect((a - b).scalars == zip(sa, sb).map { $0 - $1 })
        #expect((a * b).scalars == zip(sa, sb).map { $0 * $1 })
        #expect((a * 3).scalars == sa.map { $0 * 3 })
        var c = a
        c += b
        #expect(c.scalars == zip(sa, sb).map { $0 + $1 })
        #expect(a.scalars == sa)
        #expect(abs(a.sum() - sa.reduce(0.0) { $0 + Double($1) }) < 1e-3)
        #expect(abs(a.dot(b) - a.referenceDot(b)) < 1e-3)
    }
}
