import Testing
@testable import Engine

/// The SIMD red-black solver against the same iteration written pixel by pixel in Double.
@Suite struct RedBlackSystemTests {
    @Test func splitAndMergeRoundTrip() {
        for (w, h) in [(1, 1), (2, 3), (7, 5), (16, 4), (19, 6)] {
            var rng = FlowTestRandom(seed: UInt64(w * 100 + h))
            let src = rng.floats(w * h)
            let plane = RedBlackPlane(RedBlackLayout(width: w, height: h))
            src.withUnsafeBufferPointer { plane.split($0.baseAddress!) }
            var out = [Float](repeating: 0, count: w * h)
            out.withUnsafeMutableBufferPointer { plane.merge(into: $0.baseAddress!) }
            #expect(out == src, "\(w)x\(h)")
            // Colour c holds exactly the pixels with (x + y) % 2 == c.
            let l = plane.layout
            for y in 0..<h { for c in 0..<2 { for k in 0..<l.length(y, c) {
                #expect(plane[c][l.row(y) + k] == src[y * w + 2 * k + l.parity(y, c)])
            } } }
        }
    }

    @Test(arguments: [(7, 5), (20, 9), (3, 2)])
    func fixedPointIterationMatchesNaiveGaussSeidel(size: (Int, Int)) {
        let (w, h) = size, n = w * h
        var rng = FlowTestRandom(seed: UInt64(w * 31 + h))
        // Random positive semi-definite motion tensors: sums of outer products of (a, b, c).
        func tensor() -> [[Float]] {
            var t = [[Float]](repeating: [Float](repeating: 0, count: n), count: 6)
            for i in 0..<n { for _ in 0..<2 {
                let a = rng.float(-1, 1), b = rng.float(-1, 1), c = rng.float(-1, 1)
                t[0][i] += a * a; t[1][i] += a * b; t[2][i] += b * b; t[3][i] += a * c; t[4][i] += b * c; t[5][i] += c * c
            } }
            return t
        }
        let J = tensor(), G = tensor()
        let u0 = rng.floats(n), v0 = rng.floats(n)
        let (alpha, gamma, delta, eps2, omega): (Float, Float, Float, Float, Float) = (3, 2, 1.5, 1e-4, 1.6)
        let layout = RedBlackLayout(width: w, height: h)
        func split(_ a: [Float]) -> RedBlackPlane { let p = RedBlackPlane(layout); a.withUnsafeBufferPointer { p.split($0.baseAddress!) }; return p }
        let system = VariationalRefinement.RedBlackSystem(layout: layout, j: J.map(split), g: G.map(split), u: split(u0), v: split(v0),
                                                          alpha: alpha, gamma: gamma, delta: delta, eps2: eps2, omega: omega)
        // Start away from u0 so the data weights see a non-zero increment.
        let start = rng.floats(2 * n, -0.5, 0.5)
        let wu0 = zip(u0, start[0..<n]).map { $0 + $1 }, wv0 = zip(v0, start[n...]).map { $0 + $1 }
        let su = split(wu0), sv = split(wv0)
        for c in 0..<2 {
            system.wu[c].update(from: su[c], count: layout.bufferCount)
            system.wv[c].update(from: sv[c], count: layout.bufferCount)
        }
        system.updateSmoothnessWeights()
        system.updateDataTerms()
        for _ in 0..<3 { system.sorPass(colour: 0); system.sorPass(colour: 1) }
        var fastU = [Float](repeating: 0, count: n), fastV = fastU
        fastU.withUnsafeMutableBufferPointer { system.wu.merge(into: $0.baseAddress!) }
        fastV.withUnsafeMutableBufferPointer { system.wv.merge(into: $0.baseAddress!) }

        // Reference: the same fixed-point iteration, plain loops, Double.
        var U = wu0.map(Double.init), V = wv0.map(Double.init)
        var wH = [Double](repeating: 0, count: n), wV = wH
        for y in 0..<h { for x in 0..<w {
            let p = y * w + x
            let ux = x + 1 < w ? U[p + 1] - U[p] : 0, vx = x + 1 < w ? V[p + 1] - V[p] : 0
            let uy = y + 1 < h ? U[p + w] - U[p] : 0, vy = y + 1 < h ? V[p + w] - V[p] : 0
            let s = Double(alpha) / (ux * ux + uy * uy + vx * vx + vy * vy + Double(eps2)).squareRoot()
            wH[p] = x + 1 < w ? s : 0; wV[p] = y + 1 < h ? s : 0
        } }
        var A11 = wH, A22 = wH, A12 = wH, B1 = wH, B2 = wH
        for p in 0..<n {
            let du = U[p] - Double(u0[p]), dv = V[p] - Double(v0[p])
            func energy(_ t: [[Float]]) -> Double {
                let q = du * du * Double(t[0][p]) + 2 * du * dv * Double(t[1][p]) + dv * dv * Double(t[2][p])
                return max(0, q + 2 * du * Double(t[3][p]) + 2 * dv * Double(t[4][p]) + Double(t[5][p]))
            }
            let pd = Double(delta) / (energy(J) + Double(eps2)).squareRoot(), pg = Double(gamma) / (energy(G) + Double(eps2)).squareRoot()
            A11[p] = pd * Double(J[0][p]) + pg * Double(G[0][p]); A22[p] = pd * Double(J[2][p]) + pg * Double(G[2][p])
            A12[p] = pd * Double(J[1][p]) + pg * Double(G[1][p])
            B1[p] = -(pd * Double(J[3][p]) + pg * Double(G[3][p])); B2[p] = -(pd * Double(J[4][p]) + pg * Double(G[4][p]))
        }
        for _ in 0..<3 { for colour in 0..<2 { for y in 0..<h { for x in 0..<w where (x + y) % 2 == colour {
            let p = y * w + x
            var sw = 0.0, sU = 0.0, sV = 0.0
            func edge(_ q: Int, _ weight: Double) { sw += weight; sU += weight * U[q]; sV += weight * V[q] }
            if x > 0 { edge(p - 1, wH[p - 1]) }
            if x + 1 < w { edge(p + 1, wH[p]) }
            if y > 0 { edge(p - w, wV[p - w]) }
            if y + 1 < h { edge(p + w, wV[p]) }
            // A du + A12 dv + sum w (W_p - W_n) = B, with du = U - u0.
            let nu = (B1[p] + A11[p] * Double(u0[p]) + A12[p] * Double(v0[p]) - A12[p] * V[p] + sU) / (A11[p] + sw)
            U[p] += Double(omega) * (nu - U[p])
            let nv = (B2[p] + A22[p] * Double(v0[p]) + A12[p] * Double(u0[p]) - A12[p] * U[p] + sV) / (A22[p] + sw)
            V[p] += Double(omega) * (nv - V[p])
        } } } }
        let worst = (0..<n).map { max(abs(Double(fastU[$0]) - U[$0]), abs(Double(fastV[$0]) - V[$0])) }.max()!
        #expect(worst < 1e-3, "largest difference \(worst)")
        RedBlackPlane.recycle(system.planes)
    }
}
