/// Adam (Kingma & Ba 2015): per-coordinate steps from bias-corrected running means of the
/// gradient and its square. Slower than L-BFGS for Gatys but steady, memory-light and easy to
/// stop at any iteration, which suits short per-frame budgets.
public struct Adam: Sendable {
    public var learningRate: Double
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    /// Where each coordinate must stay (each step is clamped into the box); nil for none.
    public var bounds: BoxBounds?

    public init(learningRate: Double) { self.learningRate = learningRate }

    /// Minimises `objective` from `x` (updated in place) for `iterations` steps.
    public func minimize(_ x: inout [Float], iterations: Int, objective: Objective,
                         progress: OptimizerProgress = { _, _ in true }) -> OptimizationResult {
        let n = x.count
        bounds?.clamp(&x)
        var g = [Float](repeating: 0, count: n)
        var m = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
        var f = objective(x, &g)
        var result = OptimizationResult(iterations: 0, evaluations: 1, initialLoss: f, finalLoss: f)
        var step = 0
        var beta1Power = 1.0, beta2Power = 1.0
        while step < iterations {
            step += 1
            let b1 = Float(beta1), b2 = Float(beta2)
            beta1Power *= beta1
            beta2Power *= beta2
            let c1 = 1 - beta1Power, c2 = 1 - beta2Power
            let rate = Float(learningRate * c2.squareRoot() / c1)
            let eps = Float(epsilon * c2.squareRoot())
            for i in 0..<n {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                x[i] -= rate * m[i] / (v[i].squareRoot() + eps)
            }
            bounds?.clamp(&x)
            f = objective(x, &g)
            result.evaluations += 1
            result.iterations = step
            result.finalLoss = f
            if !progress(step, f) { break }
        }
        return result
    }
}
