@testable import Engine

/// Central finite differences of the scalar loss `sum(f(x) * r)`, as ggml's grad mode does.
enum GradientCheck {
    /// d(loss)/d(x) numerically, perturbing every element of `x` by +-`step`.
    static func numericGradient(of f: (Tensor) -> Tensor, at x: Tensor, projection r: Tensor,
                                step: Float = 1e-2) -> Tensor {
        var grad = Tensor(shape: x.shape)
        var probe = x
        for i in 0..<x.count {
            let original = probe[i]
            probe[i] = original + step
            let plus = f(probe).referenceDot(r)
            probe[i] = original - step
            let minus = f(probe).referenceDot(r)
            probe[i] = original
            grad[i] = Float((plus - minus) / (2 * Double(step)))
        }
        return grad
    }
}
