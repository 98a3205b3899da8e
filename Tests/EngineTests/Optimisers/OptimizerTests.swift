import Testing
@testable import Engine

@Suite struct OptimizerTests {
    /// f(x) = 1/2 sum d_i (x_i - c_i)^2 with condition number 100: minimum 0 at c.
    static func quadratic(dimension n: Int) -> (Objective, [Float]) {
        var rng = SeededFloats(seed: 9)
        let centre = rng.array(n, scale: 3)
        let d = (0..<n).map { 1 + 99 * Float($0) / Float(max(1, n - 1)) }
        let f: Objective = { x, g in
            var s = 0.0
            for i in 0..<x.count {
                let e = x[i] - centre[i]
                s += 0.5 * Double(d[i] * e * e)
                g[i] = d[i] * e
            }
            return s
        }
        return (f, centre)
    }

    static let rosenbrock: Objective = { x, g in
        let (a, b) = (Double(x[0]), Double(x[1]))
        g[0] = Float(-2 * (1 - a) - 400 * a * (b - a * a))
        g[1] = Float(200 * (b - a * a))
        return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
    }

    @Test func lbfgsMinimisesAQuadratic() {
        let (f, centre) = Self.quadratic(dimension: 31)
        var x = [Float](repeating: 0, count: 31)
        let r = LBFGS(historySize: 10).minimize(&x, iterations: 200, objective: f)
        #expect(r.finalLoss < 1e-8 * r.initialLoss)
        #expect(zip(x, centre).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(r.iterations < 100)
    }

    @Test func lbfgsMinimisesRosenbrock() {
        var x: [Float] = [-1.2, 1]
        var losses: [Double] = []
        let r = LBFGS(historySize: 5).minimize(&x, iterations: 500, objective: Self.rosenbrock) { _, loss in
            losses.append(loss); return true
        }
        #expect(abs(x[0] - 1) < 1e-2 && abs(x[1] - 1) < 2e-2, "ended at \(x) after \(r.iterations) iterations")
        #expect(r.finalLoss < 1e-4)
        // Armijo line search: the loss never goes up.
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 <= $0 })
    }

    /// A chain of nearby problems (the same curvature, a moved minimum, as one video frame after
    /// another): started from the previous minimisation's pairs, the second reaches the same loss
    /// in fewer iterations than from none; an empty memory changes nothing, and pairs of another
    /// length are dropped.
    @Test func lbfgsMemoryCarriesCurvatureToTheNextProblem() {
        let n = 40
        let d = (0..<n).map { 1 + 999 * Float($0) / Float(n - 1) }
        func problem(_ shift: Float) -> Objective {
            { x, g in
                var s = 0.0
                for i in 0..<x.count { let e = x[i] - shift * Float(i % 3); s += 0.5 * Double(d[i] * e * e); g[i] = d[i] * e }
                return s
            }
        }
        func iterationsToReach(_ target: Double, memory: LBFGS.Memory?) -> Int {
            var x = [Float](repeating: 1, count: n)
            var reached = 0
            _ = LBFGS(historySize: 8).minimize(&x, iterations: 300, objective: problem(1.1), memory: memory) { i, f in
                if f <= target { reached = i; return false }
                return true
            }
            return reached
        }
        let memory = LBFGS.Memory()
        var x = [Float](repeating: 1, count: n)
        _ = LBFGS(historySize: 8).minimize(&x, iterations: 60, objective: problem(1), memory: memory)
        #expect(memory.count == 8)
        let cold = iterationsToReach(1e-6, memory: nil), warm = iterationsToReach(1e-6, memory: memory)
        #expect(cold > 0 && warm > 0 && warm < cold, "with the pairs \(warm) iterations, without \(cold)")
        // An empty memory is no memory; a memory of another length is ignored.
        #expect(iterationsToReach(1e-6, memory: LBFGS.Memory()) == cold)
        let other = LBFGS.Memory()
        var short = [Float](repeating: 1, count: 5)
        _ = LBFGS(historySize: 8).minimize(&short, iterations: 10, objective: problem(1), memory: other)
        #expect(other.count > 0 && iterationsToReach(1e-6, memory: other) == cold)
    }

    @Test func lbfgsStopsWhenProgressSaysSo() {
        let (f, _) = Self.quadratic(dimension: 5)
        var x = [Float](repeating: 0, count: 5)
        let r = LBFGS().minimize(&x, iterations: 50, objective: f) { i, _ in i < 3 }
        #expect(r.iterations == 3)
    }

    @Test func adamMinimisesAQuadratic() {
        let (f, centre) = Self.quadratic(dimension: 17)
        var x = [Float](repeating: 0, count: 17)
        let r = Adam(learningRate: 0.05).minimize(&x, iterations: 2000, objective: f)
        #expect(r.finalLoss < 1e-6 * r.initialLoss)
        #expect(zip(x, centre).allSatisfy { abs($0 - $1) < 1e-2 })
        #expect(r.iterations == 2000 && r.evaluations == 2001)
    }

    /// A box that cuts the quadratic's centre c off from above in every third coordinate
    /// ([c + 0.5, c + 2]), from below in the next ([c - 2, c - 0.5]) and holds it in the rest
    /// ([c - 1, c + 1]). The bounded minimum of a separable function is c clamped into the box.
    static func boxAroundHalfTheCentre(_ centre: [Float]) -> BoxBounds {
        let offsets: [(Float, Float)] = [(0.5, 2), (-2, -0.5), (-1, 1)]
        return BoxBounds(lower: centre.indices.map { centre[$0] + offsets[$0 % 3].0 },
                         upper: centre.indices.map { centre[$0] + offsets[$0 % 3].1 })
    }

    @Test func lbfgsStaysInABoxAndFindsTheClampedMinimum() {
        let (f, centre) = Self.quadratic(dimension: 24)
        let box = Self.boxAroundHalfTheCentre(centre)
        var expected = centre
        box.clamp(&expected)
        #expect(expected != centre)  // the box does cut the centre off
        var lbfgs = LBFGS(historySize: 6)
        lbfgs.bounds = box
        var x = [Float](repeating: 40, count: 24)  // starts outside: clamped first
        var inside = true
        let bounded: Objective = { x, g in
            inside = inside && x.indices.allSatisfy { box.lower[$0] <= x[$0] && x[$0] <= box.upper[$0] }
            return f(x, &g)
        }
        var losses: [Double] = []
        _ = lbfgs.minimize(&x, iterations: 300, objective: bounded) { _, loss in losses.append(loss); return true }
        #expect(inside)
        #expect(zip(x, expected).allSatisfy { abs($0 - $1) < 1e-3 }, "ended at \(x), expected \(expected)")
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 <= $0 })
    }

    @Test func adamStaysInABoxAndFindsTheClampedMinimum() {
        let (f, centre) = Self.quadratic(dimension: 16)
        let box = Self.boxAroundHalfTheCentre(centre)
        var expected = centre
        box.clamp(&expected)
        #expect(expected != centre)
        var adam = Adam(learningRate: 0.05)
        adam.bounds = box
        var x = [Float](repeating: -40, count: 16)
        var inside = true
        let bounded: Objective = { x, g in
            inside = inside && x.indices.allSatisfy { box.lower[$0] <= x[$0] && x[$0] <= box.upper[$0] }
            return f(x, &g)
        }
        _ = adam.minimize(&x, iterations: 2000, objective: bounded)
        #expect(inside)
        #expect(zip(x, expected).allSatisfy { abs($0 - $1) < 1e-2 }, "ended at \(x), expected \(expected)")
    }

    /// Bounds the path never touches leave it the unbounded one (to float rounding: the Armijo
    /// test then measures the step taken rather than t g'd).
    @Test func lbfgsWithFarBoundsTakesTheUnboundedPath() {
        let (f, _) = Self.quadratic(dimension: 12)
        var free = [Float](repeating: 0, count: 12), boxed = free
        let a = LBFGS(historySize: 5).minimize(&free, iterations: 30, objective: f)
        var lbfgs = LBFGS(historySize: 5)
        lbfgs.bounds = BoxBounds(lower: .init(repeating: -1e6, count: 12), upper: .init(repeating: 1e6, count: 12))
        let b = lbfgs.minimize(&boxed, iterations: 30, objective: f)
        #expect(a.iterations == b.iterations)
        #expect(zip(free, boxed).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) })
    }
}
