/// Limited-memory BFGS (Nocedal 1980; Nocedal & Wright, "Numerical Optimization", alg. 7.4 and
/// 7.5) with a backtracking Armijo line search. This is the optimiser Gatys et al. use: it takes
/// far fewer image updates than first-order methods for the same style loss.
///
/// Each iteration builds the direction d = -H g from the last `historySize` pairs (s, y) with the
/// two-loop recursion, scaled by gamma = s'y / y'y. The first iteration, which has no curvature
/// yet, tries step min(1, 1/max|g_i|), so no coordinate moves by more than 1 (PyTorch's
/// min(1, 1/|g|_1) moves a large image so little that the first curvature pair is mostly float
/// rounding, and the next iterations crawl); later ones try step 1 (or, while
/// no pair has been kept, four times the last steepest-descent step). A step is
/// accepted when f(x + t d) <= f(x) + c1 t g'd, otherwise t is cut (quadratic interpolation,
/// clamped to [0.1 t, 0.5 t]). Pairs with y's <= 1e-10 |y|^2 are skipped so H stays positive
/// definite without a Wolfe curvature test. Non-descent directions reset the history.
///
/// With `bounds`, the iterates stay in the box: x starts clamped, each trial is the clamped
/// x + t d, coordinates held at a bound by an outward gradient get no direction, the Armijo test
/// uses the step actually taken, g'(P(x + t d) - x), and the gradient tolerance applies to the
/// projected gradient (a simple projected L-BFGS, not the full L-BFGS-B of Byrd et al. 1995).
public struct LBFGS: Sendable {
    public var historySize: Int
    /// Armijo sufficient-decrease constant.
    public var c1: Double = 1e-4
    /// Line-search trials per iteration before giving up on the iteration.
    public var maxBacktracks: Int = 12
    /// Stop when max |g_i| falls below this.
    public var gradientTolerance: Double = 1e-9
    /// Stop when |f_new - f_old| falls below this (relative to max(1, |f|)).
    public var changeTolerance: Double = 1e-12
    /// Where each coordinate must stay; nil for none.
    public var bounds: BoxBounds?

    public init(historySize: Int = 20) {
        precondition(historySize > 0, "LBFGS: history size must be positive")
        self.historySize = historySize
    }

    /// The curvature pairs (s, y) one minimisation ends with, to start the next from. A chain of
    /// video frames minimises nearly the same function frame after frame; started without pairs,
    /// each frame's first iterations are steepest-descent steps sized from scratch, and starting
    /// from the previous frame's pairs skips that (Nocedal & Wright's warm start of the inverse
    /// Hessian approximation). Pairs of another length are dropped.
    public final class Memory: @unchecked Sendable {
        var s: [[Float]] = [], y: [[Float]] = [], rho: [Double] = []
        public init() {}
        /// Pairs held (at most the history size).
        public var count: Int { s.count }
    }

    /// Minimises `objective` from `x` (updated in place) for at most `iterations` iterations.
    /// With `memory`, it starts from the pairs there and leaves its own last pairs in it.
    public func minimize(_ x: inout [Float], iterations: Int, objective: Objective, memory: Memory? = nil,
                         progress: OptimizerProgress = { _, _ in true }) -> OptimizationResult {
        let n = x.count
        bounds?.clamp(&x)
        var g = [Float](repeating: 0, count: n)
        var f = objective(x, &g)
        var result = OptimizationResult(iterations: 0, evaluations: 1, initialLoss: f, finalLoss: f)
        var projected = [Float](repeating: 0, count: n)
        var sHistory: [[Float]] = [], yHistory: [[Float]] = [], rhoHistory: [Double] = []
        if let memory, memory.s.first?.count == n {
            (sHistory, yHistory, rhoHistory) = (memory.s.suffix(historySize), memory.y.suffix(historySize), memory.rho.suffix(historySize))
        }
        defer { if let memory { (memory.s, memory.y, memory.rho) = (sHistory, yHistory, rhoHistory) } }
        var trial = [Float](repeating: 0, count: n)
        var gTrial = [Float](repeating: 0, count: n)
        var d = [Float](repeating: 0, count: n)
        var steepestStep: Double? = nil

        for iteration in 1...max(1, iterations) where iterations > 0 {
            // The gradient with held coordinates zeroed: the whole gradient when there are no bounds.
            for i in 0..<n { projected[i] = g[i] }
            bounds?.zeroingHeld(&projected, x: x, g: g)
            if projected.reduce(Float(0), { max($0, abs($1)) }) <= Float(gradientTolerance) { break }
            direction(projected, sHistory, yHistory, rhoHistory, into: &d)
            bounds?.zeroingHeld(&d, x: x, g: g)
            var gtd = dot(g, d)
            if !(gtd < 0) {
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                for i in 0..<n { d[i] = -projected[i] }
                gtd = dot(g, d)
            }
            var t: Double = 1
            if sHistory.isEmpty {
                // No curvature known (first iteration, or every pair so far had y's <= 0, as
                // under negative curvature): steepest descent, its step grown from the last one.
                let gMax = projected.reduce(0.0) { max($0, Double(abs($1))) }
                t = steepestStep.map { $0 * 4 } ?? min(1, 1 / max(gMax, 1e-30))
            }
            let steepest = sHistory.isEmpty
            var accepted = false
            var fTrial = f
            for _ in 0...maxBacktracks {
                for i in 0..<n { trial[i] = x[i] + Float(t) * d[i] }
                var decrease = t * gtd
                if let bounds {
                    // Clamping can shorten the step, so the predicted decrease is that of the step
                    // taken; the loss must also not go up, which t * gtd < 0 alone ensures.
                    bounds.clamp(&trial)
                    decrease = 0
                    for i in 0..<n { decrease += Double(g[i]) * Double(trial[i] - x[i]) }
                    decrease = min(decrease, 0)
                }
                fTrial = objective(trial, &gTrial)
                result.evaluations += 1
                if fTrial.isFinite && fTrial <= f + c1 * decrease { accepted = true; break }
                // Minimiser of the quadratic through f, f'(0) = gtd and f(t); kept in [0.1t, 0.5t].
                let q = fTrial.isFinite ? -gtd * t * t / (2 * (fTrial - f - gtd * t)) : 0.1 * t
                t = min(max(q, 0.1 * t), 0.5 * t)
            }
            guard accepted else { break }
            steepestStep = steepest ? t : nil

            var s = [Float](repeating: 0, count: n), y = [Float](repeating: 0, count: n)
            for i in 0..<n { s[i] = trial[i] - x[i]; y[i] = gTrial[i] - g[i] }
            let ys = dot(y, s), yy = dot(y, y)
            if ys > 1e-10 * yy && ys > 0 {
                if sHistory.count == historySize { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / ys)
            }
            let change = abs(f - fTrial)
            swap(&x, &trial)
            swap(&g, &gTrial)
            f = fTrial
            result.iterations = iteration
            result.finalLoss = f
            if !progress(iteration, f) { break }
            if change <= changeTolerance * max(1, abs(f)) { break }
        }
        return result
    }

    /// d = -H g by the two-loop recursion.
    private func direction(_ g: [Float], _ s: [[Float]], _ y: [[Float]], _ rho: [Double], into d: inout [Float]) {
        let n = g.count
        for i in 0..<n { d[i] = -g[i] }
        guard !s.isEmpty else { return }
        var alpha = [Double](repeating: 0, count: s.count)
        for j in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[j] = rho[j] * dot(s[j], d)
            let a = Float(alpha[j])
            y[j].withUnsafeBufferPointer { yj in for i in 0..<n { d[i] -= a * yj[i] } }
        }
        let last = s.count - 1
        let gamma = Float((1 / rho[last]) / dot(y[last], y[last]))
        for i in 0..<n { d[i] *= gamma }
        for j in 0..<s.count {
            let beta = rho[j] * dot(y[j], d)
            let a = Float(alpha[j] - beta)
            s[j].withUnsafeBufferPointer { sj in for i in 0..<n { d[i] += a * sj[i] } }
        }
    }
}
