@testable import Engine

extension Tensor {
    /// Uniform random elements in `range`, from a seeded generator.
    static func random(_ shape: [Int], in range: ClosedRange<Float> = -1...1,
                       using rng: inout SplitMix64) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in Float.random(in: range, using: &rng) })
    }

    /// Random elements whose magnitude is at least `margin`, so a finite-difference step never
    /// crosses a kink at zero (ReLU).
    static func randomAwayFromZero(_ shape: [Int], margin: Float = 0.05, using rng: inout SplitMix64) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in
            let m = Float.random(in: margin...1, using: &rng)
            return Bool.random(using: &rng) ? m : -m
        })
    }

    /// ||self - reference|| / ||reference||, in Double.
    func relativeError(to reference: Tensor) -> Double {
        precondition(shape == reference.shape, "relativeError: \(shape) vs \(reference.shape)")
        var num = 0.0, den = 0.0
        for i in 0..<count {
            let d = Double(self[i]) - Double(reference[i])
            num += d * d
            den += Double(reference[i]) * Double(reference[i])
        }
        return (num / max(den, 1e-30)).squareRoot()
    }

    /// sum(self * other) in Double: the scalar "loss" gradient checks differentiate.
    func referenceDot(_ other: Tensor) -> Double {
        precondition(shape == other.shape)
        var s = 0.0
        for i in 0..<count { s += Double(self[i]) * Double(other[i]) }
        return s
    }
}
