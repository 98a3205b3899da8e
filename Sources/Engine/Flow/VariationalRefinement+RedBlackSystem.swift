extension VariationalRefinement {
    /// The linear systems of the fixed-point iterations in red-black layout (`RedBlackLayout`):
    /// smoothness weights, data terms and SOR half-sweeps all run eight pixels per SIMD8 step on
    /// contiguous memory. `PlainSystem` in the tests is the same arithmetic pixel by pixel.
    struct RedBlackSystem: @unchecked Sendable {
        typealias V8 = SIMD8<Float>
        let l: RedBlackLayout
        let j: [RedBlackPlane], g: [RedBlackPlane]
        let u0: RedBlackPlane, v0: RedBlackPlane, wu: RedBlackPlane, wv: RedBlackPlane
        /// Edge weights: sH to the right neighbour, sV to the one below (0 where there is none).
        let sH: RedBlackPlane, sV: RedBlackPlane
        let a12: RedBlackPlane, b1: RedBlackPlane, b2: RedBlackPlane, inv1: RedBlackPlane, inv2: RedBlackPlane
        let alpha: Float, gamma: Float, delta: Float, eps2: Float, omega: Float

        init(layout: RedBlackLayout, j: [RedBlackPlane], g: [RedBlackPlane], u: RedBlackPlane, v: RedBlackPlane,
             alpha: Float, gamma: Float, delta: Float, eps2: Float, omega: Float) {
            l = layout
            self.j = j; self.g = g; u0 = u; v0 = v
            wu = RedBlackPlane(layout); wv = RedBlackPlane(layout)
            for c in 0..<2 {
                wu[c].update(from: u[c], count: layout.bufferCount)
                wv[c].update(from: v[c], count: layout.bufferCount)
            }
            sH = RedBlackPlane(layout); sV = RedBlackPlane(layout)
            a12 = RedBlackPlane(layout); b1 = RedBlackPlane(layout); b2 = RedBlackPlane(layout)
            inv1 = RedBlackPlane(layout); inv2 = RedBlackPlane(layout)
            self.alpha = alpha; self.gamma = gamma; self.delta = delta; self.eps2 = eps2; self.omega = omega
        }

        /// Every plane the system uses, for recycling.
        var planes: [RedBlackPlane] { j + g + [u0, v0, wu, wv, sH, sV, a12, b1, b2, inv1, inv2] }

        @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
        /// Stores the first `count` lanes (all eight when count >= 8): padding cells stay zero.
        @inline(__always) static func store(_ v: V8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
            if count >= 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self) } else { for i in 0..<count { p[i] = v[i] } }
        }

        /// alpha * Psi'(|grad u|^2 + |grad v|^2), forward differences (zero across the last
        /// column and row), as the weight of the edges to the right and below.
        func updateSmoothnessWeights() {
            let l = self.l, alpha = self.alpha, eps2 = self.eps2
            for c in 0..<2 {
                let o = 1 - c
                let cu0 = wu[c], cv0 = wv[c], ou = wu[o], ov = wv[o], h = sH[c], v = sV[c]
                FlowParallel.forRanges(l.height, costPerItem: l.width * 12) { rows in
                    for y in rows {
                        let n = l.length(y, c), par = l.parity(y, c), last = y + 1 == l.height, r = l.row(y)
                        var k = 0
                        while k < n {
                            let p = r + k, count = n - k
                            let cu = Self.load(cu0 + p), cv = Self.load(cv0 + p)
                            let ux = Self.load(ou + p + par) - cu, vx = Self.load(ov + p + par) - cv
                            let uy = last ? .zero : Self.load(ou + p + l.stride) - cu
                            let vy = last ? .zero : Self.load(ov + p + l.stride) - cv
                            let s = alpha / (ux * ux + uy * uy + vx * vx + vy * vy + eps2).squareRoot()
                            Self.store(s, h + p, count)
                            Self.store(last ? .zero : s, v + p, count)
                            k += 8
                        }
                        // The pixel in the last column has no right neighbour: redo it without ux, vx.
                        if (l.width - 1 - par) % 2 == 0 {
                            let q = r + (l.width - 1 - par) / 2
                            let uy = last ? 0 : ou[q + l.stride] - cu0[q], vy = last ? 0 : ov[q + l.stride] - cv0[q]
                            h[q] = 0
                            v[q] = last ? 0 : alpha / (uy * uy + vy * vy + eps2).squareRoot()
                        }
                    }
                }
            }
        }

        /// Robust data weights at the current increment, folded into A and b of
        /// W_p = (b_p - A12 * other_p + sum_n w_pn W_n) / (A_pp + sum_n w_pn) for the total flow W.
        func updateDataTerms() {
            let l = self.l, delta = self.delta, gamma = self.gamma, eps2 = self.eps2
            for c in 0..<2 {
                let o = 1 - c
                let (j0, j1, j2, j3, j4, j5) = (j[0][c], j[1][c], j[2][c], j[3][c], j[4][c], j[5][c])
                let (g0, g1, g2, g3, g4, g5) = (g[0][c], g[1][c], g[2][c], g[3][c], g[4][c], g[5][c])
                let pu0 = u0[c], pv0 = v0[c], pwu = wu[c], pwv = wv[c]
                let hC = sH[c], vC = sV[c], hO = sH[o], vO = sV[o]
                let pa12 = a12[c], pb1 = b1[c], pb2 = b2[c], pi1 = inv1[c], pi2 = inv2[c]
                FlowParallel.forRanges(l.height, costPerItem: l.width * 40) { rows in
                    for y in rows {
                        let n = l.length(y, c), par = l.parity(y, c), r = l.row(y)
                        var k = 0
                        while k < n {
                            let p = r + k, count = n - k
                            let sw = Self.load(hC + p) + Self.load(vC + p) + Self.load(hO + p + par - 1) + Self.load(vO + p - l.stride)
                            let u00 = Self.load(pu0 + p), v00 = Self.load(pv0 + p)
                            let du = Self.load(pwu + p) - u00, dv = Self.load(pwv + p) - v00
                            let du2 = du * du, dv2 = dv * dv, duv = 2 * du * dv, du_2 = 2 * du, dv_2 = 2 * dv
                            let J0 = Self.load(j0 + p), J1 = Self.load(j1 + p), J2 = Self.load(j2 + p)
                            let J3 = Self.load(j3 + p), J4 = Self.load(j4 + p), J5 = Self.load(j5 + p)
                            let G0 = Self.load(g0 + p), G1 = Self.load(g1 + p), G2 = Self.load(g2 + p)
                            let G3 = Self.load(g3 + p), G4 = Self.load(g4 + p), G5 = Self.load(g5 + p)
                            var rd: V8 = du2 * J0 + duv * J1
                            rd += dv2 * J2 + du_2 * J3
                            rd += dv_2 * J4 + J5
                            var rg: V8 = du2 * G0 + duv * G1
                            rg += dv2 * G2 + du_2 * G3
                            rg += dv_2 * G4 + G5
                            rd.replace(with: 0, where: rd .< 0)
                            rg.replace(with: 0, where: rg .< 0)
                            let pd: V8 = delta / (rd + eps2).squareRoot(), pg: V8 = gamma / (rg + eps2).squareRoot()
                            let a11: V8 = pd * J0 + pg * G0, a22: V8 = pd * J2 + pg * G2, c12: V8 = pd * J1 + pg * G1
                            let r1: V8 = pd * J3 + pg * G3, r2: V8 = pd * J4 + pg * G4
                            Self.store(c12, pa12 + p, count)
                            Self.store(a11 * u00 + c12 * v00 - r1, pb1 + p, count)
                            Self.store(a22 * v00 + c12 * u00 - r2, pb2 + p, count)
                            Self.store(1 / (a11 + sw + 1e-9), pi1 + p, count)
                            Self.store(1 / (a22 + sw + 1e-9), pi2 + p, count)
                            k += 8
                        }
                    }
                }
            }
        }

        /// One half-sweep over colour `c`: every neighbour read is of the other colour, so rows
        /// run in parallel and the eight lanes are independent.
        func sorPass(colour c: Int) {
            let l = self.l, omega = self.omega, o = 1 - c
            let cu0 = wu[c], cv0 = wv[c], ou = wu[o], ov = wv[o], hC = sH[c], vC = sV[c], hO = sH[o], vO = sV[o]
            let pa12 = a12[c], pb1 = b1[c], pb2 = b2[c], pi1 = inv1[c], pi2 = inv2[c]
            FlowParallel.forRanges(l.height, costPerItem: l.width * 15) { rows in
                for y in rows {
                    let n = l.length(y, c), par = l.parity(y, c), r = l.row(y)
                    var k = 0
                    while k < n {
                        let p = r + k, count = n - k
                        let left = p + par - 1, right = p + par, up = p - l.stride, down = p + l.stride
                        let wl = Self.load(hO + left), wr = Self.load(hC + p), wt = Self.load(vO + up), wd = Self.load(vC + p)
                        let su = wl * Self.load(ou + left) + wr * Self.load(ou + right) + wt * Self.load(ou + up) + wd * Self.load(ou + down)
                        let sv = wl * Self.load(ov + left) + wr * Self.load(ov + right) + wt * Self.load(ov + up) + wd * Self.load(ov + down)
                        let c12 = Self.load(pa12 + p), cu = Self.load(cu0 + p), cv = Self.load(cv0 + p)
                        let nu = (Self.load(pb1 + p) - c12 * cv + su) * Self.load(pi1 + p)
                        let newU = cu + omega * (nu - cu)
                        let nv = (Self.load(pb2 + p) - c12 * newU + sv) * Self.load(pi2 + p)
                        Self.store(newU, cu0 + p, count)
                        Self.store(cv + omega * (nv - cv), cv0 + p, count)
                        k += 8
                    }
                }
            }
        }
    }
}
