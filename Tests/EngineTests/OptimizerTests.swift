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
}
