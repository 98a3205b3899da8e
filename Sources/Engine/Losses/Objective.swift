/// A differentiable function to minimise: returns f(x) and writes df/dx into `gradient`
/// (same count as `x`, overwritten). Both optimisers work on a flat [Float], so the same code
/// optimises an image, a test quadratic or the Rosenbrock function.
public typealias Objective = (_ x: [Float], _ gradient: inout [Float]) -> Double

/// Called after each optimiser iteration with (iteration starting at 1, loss); return false to stop.
public typealias OptimizerProgress = (_ iteration: Int, _ loss: Double) -> Bool

/// What an optimisation run did.
public struct OptimizationResult: Sendable, Equatable {
    public var iterations: Int
    /// Objective evaluations, line-search trials included.
    public var evaluations: Int
    public var initialLoss: Double
    public var finalLoss: Double
}

@inlinable func dot(_ a: [Float], _ b: [Float]) -> Double {
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
        var s = 0.0
        var i = 0
        let n = a.count
        while i + 4 <= n {
            s += Double(a[i] * b[i] + a[i + 1] * b[i + 1]) + Double(a[i + 2] * b[i + 2] + a[i + 3] * b[i + 3])
            i += 4
        }
        while i < n { s += Double(a[i] * b[i]); i += 1 }
        return s
    } }
}
