/// Variational refinement of a dense flow (Brox, Bruhn, Papenberg, Weickert 2004), as DIS uses it:
/// minimise  delta * Psi(brightness constancy) + gamma * Psi(gradient constancy)
///         + alpha * Psi(|grad u|^2 + |grad v|^2),  Psi(s^2) = sqrt(s^2 + eps^2),
/// linearised around the incoming flow (one warp of the second frame), by fixed-point iterations
/// on the robust weights with red-black SOR for each linear system.
///
/// The data terms are stored as motion tensors (Bruhn et al. 2005): six numbers per pixel and term,
/// summed over channels, so colour costs nothing inside the iterations. Each channel's constraint
/// is divided by its squared gradient magnitude (Zimmer et al. 2011), which makes the data term a
/// distance in pixels and the weights independent of image contrast.
struct VariationalRefinement {
    let alpha: Float, gamma: Float, delta: Float
    let fixedPointIterations: Int, sorIterations: Int
    var omega: Float = 1.6
    var zeta: Float = 0.1
    var epsilon: Float = 0.001

    func refine(_ flow: inout FlowField, first: PlanarImage, second: PlanarImage) {
        let w = flow.width, h = flow.height, n = w * h
        precondition(first.width == w && first.height == h && second.width == w && second.height == h)
        let warped = Warp.backward(second, by: flow)
        let inside = Warp.insideMask(flow)

        // Motion tensors: J (brightness) and G (gradient constancy), entries 11 12 22 13 23 33.
        let J = (0..<6).map { _ in FloatBuffer(count: n) }, G = (0..<6).map { _ in FloatBuffer(count: n) }
        let ia = FloatBuffer(count: n), iz = FloatBuffer(count: n)
        let ix = FloatBuffer(count: n), iy = FloatBuffer(count: n), ixz = FloatBuffer(count: n), iyz = FloatBuffer(count: n)
        let ixx = FloatBuffer(count: n), ixy = FloatBuffer(count: n), iyy = FloatBuffer(count: n)
        let z2 = zeta * zeta
        first.data.withUnsafeBufferPointer { f in warped.data.withUnsafeBufferPointer { s in inside.withUnsafeBufferPointer { ins in
            for c in 0..<first.channels {
                let f0 = f.baseAddress! + c * n, s1 = s.baseAddress! + c * n
                let iap = ia.pointer, izp = iz.pointer
                for i in 0..<n { iap[i] = 0.5 * (f0[i] + s1[i]); izp[i] = s1[i] - f0[i] }
                ImageGradient.x5(ia.pointer, width: w, height: h, into: ix.pointer)
                ImageGradient.y5(ia.pointer, width: w, height: h, into: iy.pointer)
                ImageGradient.x5(iz.pointer, width: w, height: h, into: ixz.pointer)
                ImageGradient.y5(iz.pointer, width: w, height: h, into: iyz.pointer)
                ImageGradient.x5(ix.pointer, width: w, height: h, into: ixx.pointer)
                ImageGradient.y5(ix.pointer, width: w, height: h, into: ixy.pointer)
                ImageGradient.y5(iy.pointer, width: w, height: h, into: iyy.pointer)
                let (j0, j1, j2, j3, j4, j5) = (J[0].pointer, J[1].pointer, J[2].pointer, J[3].pointer, J[4].pointer, J[5].pointer)
                let (g0, g1, g2, g3, g4, g5) = (G[0].pointer, G[1].pointer, G[2].pointer, G[3].pointer, G[4].pointer, G[5].pointer)
                let insp = ins.baseAddress!
                let ixp = ix.pointer, iyp = iy.pointer, izp2 = iz.pointer
                let ixxp = ixx.pointer, ixyp = ixy.pointer, iyyp = iyy.pointer, ixzp = ixz.pointer, iyzp = iyz.pointer
                FlowParallel.forRanges(n, costPerItem: 60) { range in
                for i in range where insp[i] > 0 {
                    let x = ixp[i], y = iyp[i], z = izp2[i]
                    let nb = 1 / (x * x + y * y + z2)
                    j0[i] += nb * x * x; j1[i] += nb * x * y; j2[i] += nb * y * y
                    j3[i] += nb * x * z; j4[i] += nb * y * z; j5[i] += nb * z * z
                    let xx = ixxp[i], xy = ixyp[i], yy = iyyp[i], xz = ixzp[i], yz = iyzp[i]
                    let ngx = 1 / (xx * xx + xy * xy + z2), ngy = 1 / (xy * xy + yy * yy + z2)
                    g0[i] += ngx * xx * xx + ngy * xy * xy
                    g1[i] += ngx * xx * xy + ngy * xy * yy
                    g2[i] += ngx * xy * xy + ngy * yy * yy
                    g3[i] += ngx * xx * xz + ngy * xy * yz
                    g4[i] += ngx * xy * xz + ngy * yy * yz
                    g5[i] += ngx * xz * xz + ngy * yz * yz
                }
                }
            }
        } } }

        let u0 = FloatBuffer(flow.u), v0 = FloatBuffer(flow.v)
        let wu = FloatBuffer(flow.u), wv = FloatBuffer(flow.v)          // current total flow
        let wH = FloatBuffer(count: n), wV = FloatBuffer(count: n)        // edge weights right, down
        let a12 = FloatBuffer(count: n), b1 = FloatBuffer(count: n), b2 = FloatBuffer(count: n)
        let inv1 = FloatBuffer(count: n), inv2 = FloatBuffer(count: n)
        let system = System(w: w, h: h, j: J.map(\.pointer), g: G.map(\.pointer), u0: u0.pointer, v0: v0.pointer,
                            wu: wu.pointer, wv: wv.pointer, wH: wH.pointer, wV: wV.pointer, a12: a12.pointer,
                            b1: b1.pointer, b2: b2.pointer, inv1: inv1.pointer, inv2: inv2.pointer,
                            alpha: alpha, gamma: gamma, delta: delta, eps2: epsilon * epsilon, omega: omega,
                            owners: J + G + [u0, v0, wu, wv, wH, wV, a12, b1, b2, inv1, inv2])
        for _ in 0..<fixedPointIterations {
            system.updateSmoothnessWeights()
            system.updateDataTerms()
            for _ in 0..<sorIterations {
                system.sorPass(colour: 0)
                system.sorPass(colour: 1)
            }
        }
        flow.u = wu.array
        flow.v = wv.array
        withExtendedLifetime(system) {}
    }

    /// The linear system of one fixed-point iteration, over raw planes shared by the row workers.
    struct System: @unchecked Sendable {
        let w: Int, h: Int
        let j: [UnsafeMutablePointer<Float>], g: [UnsafeMutablePointer<Float>]
        let u0: UnsafeMutablePointer<Float>, v0: UnsafeMutablePointer<Float>
        let wu: UnsafeMutablePointer<Float>, wv: UnsafeMutablePointer<Float>
        let wH: UnsafeMutablePointer<Float>, wV: UnsafeMutablePointer<Float>
        let a12: UnsafeMutablePointer<Float>, b1: UnsafeMutablePointer<Float>, b2: UnsafeMutablePointer<Float>
        let inv1: UnsafeMutablePointer<Float>, inv2: UnsafeMutablePointer<Float>
        let alpha: Float, gamma: Float, delta: Float, eps2: Float, omega: Float
        /// Keeps the buffers behind the pointers above alive as long as the system is.
        let owners: [FloatBuffer]

        typealias V8 = SIMD8<Float>
        @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
        @inline(__always) static func store(_ v: V8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self) }

        /// alpha * Psi'(|grad u|^2 + |grad v|^2) with forward differences, stored on the right and
        /// lower edges (zero on the last column and row: no edge there). Eight pixels per step.
        func updateSmoothnessWeights() {
            FlowParallel.forRanges(h, costPerItem: w * 20) { rows in
                for y in rows {
                    let row = y * w, down = y + 1 < h ? w : 0
                    var x = 0
                    while x + 9 <= w {
                        let p = row + x
                        let cu = Self.load(wu + p), cv = Self.load(wv + p)
                        let ux = Self.load(wu + p + 1) - cu, vx = Self.load(wv + p + 1) - cv
                        let uy = Self.load(wu + p + down) - cu, vy = Self.load(wv + p + down) - cv
                        let s = alpha / (ux * ux + uy * uy + vx * vx + vy * vy + eps2).squareRoot()
                        Self.store(s, wH + p); Self.store(s, wV + p)
                        x += 8
                    }
                    while x < w {
                        let p = row + x
                        let ux = x + 1 < w ? wu[p + 1] - wu[p] : 0, vx = x + 1 < w ? wv[p + 1] - wv[p] : 0
                        let uy = wu[p + down] - wu[p], vy = wv[p + down] - wv[p]
                        let s = alpha / (ux * ux + uy * uy + vx * vx + vy * vy + eps2).squareRoot()
                        wH[p] = s; wV[p] = s
                        x += 1
                    }
                    wH[row + w - 1] = 0
                    if down == 0 { (wV + row).update(repeating: 0, count: w) }
                }
            }
        }

        /// Robust data weights at the current increment, folded into A and b of
        /// W_p = (b_p - A12 * other_p + sum_n w_pn W_n) / (A_pp + sum_n w_pn), written for the total
        /// flow W. Eight pixels per step; `sw` is the sum of the four edge weights around them.
        @inline(__always) func dataTerm(_ p: Int, sw: V8) {
            let u00 = Self.load(u0 + p), v00 = Self.load(v0 + p)
            let du = Self.load(wu + p) - u00, dv = Self.load(wv + p) - v00
            let du2 = du * du, dv2 = dv * dv, duv = 2 * du * dv, du_2 = 2 * du, dv_2 = 2 * dv
            let J0 = Self.load(j[0] + p), J1 = Self.load(j[1] + p), J2 = Self.load(j[2] + p)
            let J3 = Self.load(j[3] + p), J4 = Self.load(j[4] + p), J5 = Self.load(j[5] + p)
            let G0 = Self.load(g[0] + p), G1 = Self.load(g[1] + p), G2 = Self.load(g[2] + p)
            let G3 = Self.load(g[3] + p), G4 = Self.load(g[4] + p), G5 = Self.load(g[5] + p)
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
            Self.store(c12, a12 + p)
            Self.store(a11 * u00 + c12 * v00 - r1, b1 + p)
            Self.store(a22 * v00 + c12 * u00 - r2, b2 + p)
            Self.store(1 / (a11 + sw + 1e-9), inv1 + p)
            Self.store(1 / (a22 + sw + 1e-9), inv2 + p)
        }

        /// Every pixel's data term. Rows are covered by 8-wide chunks, the last one flush with the
        /// row's end (recomputing a few pixels is harmless: the pass only writes its outputs). The
        /// left weight of x = 0 reads the previous row's last wH, which is zero, or the padding.
        func updateDataTerms() {
            let zeros = FloatBuffer(count: w + 8)
            let body: (Range<Int>) -> Void = { rows in
                for y in rows {
                    let row = y * w, up = y > 0 ? wV + row - w : zeros.pointer
                    var x = 0
                    while true {
                        let p = row + x
                        let sw = Self.load(wH + p) + Self.load(wH + p - 1) + Self.load(wV + p) + Self.load(up + x)
                        dataTerm(p, sw: sw)
                        if x + 8 >= w { break }
                        x = min(x + 8, w - 8)
                    }
                }
            }
            // Narrow levels spill a chunk into the next row, which that row then overwrites: in order.
            if w < 8 { body(0..<h) } else { FlowParallel.forRanges(h, costPerItem: w * 40, body) }
            withExtendedLifetime(zeros) {}
        }

        /// One red (colour 0) or black (colour 1) half-sweep: pixels with (x + y) % 2 == colour.
        /// Interior pixels take a branch-free path; the one-pixel frame takes the checked one.
        func sorPass(colour: Int) {
            FlowParallel.forRanges(h, costPerItem: w * 15) { rows in
                for y in rows {
                    let interiorRow = y > 0 && y + 1 < h
                    var x = (y + colour) & 1
                    if interiorRow {
                        if x == 0 { updateChecked(x: 0, y: y); x = 2 }
                        while x + 1 < w { updateInterior(y * w + x); x += 2 }
                        if x < w { updateChecked(x: x, y: y) }
                    } else {
                        while x < w { updateChecked(x: x, y: y); x += 2 }
                    }
                }
            }
        }

        @inline(__always) private func relax(_ p: Int, su: Float, sv: Float) {
            let nu = (b1[p] - a12[p] * wv[p] + su) * inv1[p]
            let newU = wu[p] + omega * (nu - wu[p])
            wu[p] = newU
            let nv = (b2[p] - a12[p] * newU + sv) * inv2[p]
            wv[p] = wv[p] + omega * (nv - wv[p])
        }

        @inline(__always) private func updateInterior(_ p: Int) {
            let wl = wH[p - 1], wr = wH[p], wt = wV[p - w], wd = wV[p]
            let su = wl * wu[p - 1] + wr * wu[p + 1] + wt * wu[p - w] + wd * wu[p + w]
            let sv = wl * wv[p - 1] + wr * wv[p + 1] + wt * wv[p - w] + wd * wv[p + w]
            relax(p, su: su, sv: sv)
        }

        private func updateChecked(x: Int, y: Int) {
            let p = y * w + x
            var su: Float = wH[p] * (x + 1 < w ? wu[p + 1] : 0) + wV[p] * (y + 1 < h ? wu[p + w] : 0)
            var sv: Float = wH[p] * (x + 1 < w ? wv[p + 1] : 0) + wV[p] * (y + 1 < h ? wv[p + w] : 0)
            if x > 0 { su += wH[p - 1] * wu[p - 1]; sv += wH[p - 1] * wv[p - 1] }
            if y > 0 { su += wV[p - w] * wu[p - w]; sv += wV[p - w] * wv[p - w] }
            relax(p, su: su, sv: sv)
        }
    }
}
