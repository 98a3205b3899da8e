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
                for i in 0..<n { ia.pointer[i] = 0.5 * (f0[i] + s1[i]); iz.pointer[i] = s1[i] - f0[i] }
                ImageGradient.x(ia.pointer, width: w, height: h, into: ix.pointer)
                ImageGradient.y(ia.pointer, width: w, height: h, into: iy.pointer)
                ImageGradient.x(iz.pointer, width: w, height: h, into: ixz.pointer)
                ImageGradient.y(iz.pointer, width: w, height: h, into: iyz.pointer)
                ImageGradient.x(ix.pointer, width: w, height: h, into: ixx.pointer)
                ImageGradient.y(ix.pointer, width: w, height: h, into: ixy.pointer)
                ImageGradient.y(iy.pointer, width: w, height: h, into: iyy.pointer)
                let j = J.map(\.pointer), g = G.map(\.pointer)
                for i in 0..<n where ins[i] > 0 {
                    let x = ix.pointer[i], y = iy.pointer[i], z = iz.pointer[i]
                    let nb = 1 / (x * x + y * y + z2)
                    j[0][i] += nb * x * x; j[1][i] += nb * x * y; j[2][i] += nb * y * y
                    j[3][i] += nb * x * z; j[4][i] += nb * y * z; j[5][i] += nb * z * z
                    let xx = ixx.pointer[i], xy = ixy.pointer[i], yy = iyy.pointer[i], xz = ixz.pointer[i], yz = iyz.pointer[i]
                    let ngx = 1 / (xx * xx + xy * xy + z2), ngy = 1 / (xy * xy + yy * yy + z2)
                    g[0][i] += ngx * xx * xx + ngy * xy * xy
                    g[1][i] += ngx * xx * xy + ngy * xy * yy
                    g[2][i] += ngx * xy * xy + ngy * yy * yy
                    g[3][i] += ngx * xx * xz + ngy * xy * yz
                    g[4][i] += ngx * xy * xz + ngy * yy * yz
                    g[5][i] += ngx * xz * xz + ngy * yz * yz
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

        /// alpha * Psi'(|grad u|^2 + |grad v|^2) with forward differences, stored on the right and lower edges.
        func updateSmoothnessWeights() {
            FlowParallel.forRanges(h, costPerItem: w * 20) { rows in
                for y in rows {
                    for x in 0..<w {
                        let p = y * w + x
                        let ux = x + 1 < w ? wu[p + 1] - wu[p] : 0, vx = x + 1 < w ? wv[p + 1] - wv[p] : 0
                        let uy = y + 1 < h ? wu[p + w] - wu[p] : 0, vy = y + 1 < h ? wv[p + w] - wv[p] : 0
                        let s = alpha / (ux * ux + uy * uy + vx * vx + vy * vy + eps2).squareRoot()
                        wH[p] = x + 1 < w ? s : 0
                        wV[p] = y + 1 < h ? s : 0
                    }
                }
            }
        }

        /// Robust data weights at the current increment, folded into A and b of
        /// W_p = (b_p - A12 * other_p + sum_n w_pn W_n) / (A_pp + sum_n w_pn), written for the total flow W.
        func updateDataTerms() {
            FlowParallel.forRanges(h, costPerItem: w * 40) { rows in
                for y in rows {
                    for x in 0..<w {
                        let p = y * w + x
                        let du = wu[p] - u0[p], dv = wv[p] - v0[p]
                        let rd = du * du * j[0][p] + 2 * du * dv * j[1][p] + dv * dv * j[2][p]
                            + 2 * du * j[3][p] + 2 * dv * j[4][p] + j[5][p]
                        let rg = du * du * g[0][p] + 2 * du * dv * g[1][p] + dv * dv * g[2][p]
                            + 2 * du * g[3][p] + 2 * dv * g[4][p] + g[5][p]
                        let pd = delta / (max(rd, 0) + eps2).squareRoot(), pg = gamma / (max(rg, 0) + eps2).squareRoot()
                        let a11 = pd * j[0][p] + pg * g[0][p], a22 = pd * j[2][p] + pg * g[2][p]
                        let c12 = pd * j[1][p] + pg * g[1][p]
                        let r1 = -(pd * j[3][p] + pg * g[3][p]), r2 = -(pd * j[4][p] + pg * g[4][p])
                        a12[p] = c12
                        b1[p] = r1 + a11 * u0[p] + c12 * v0[p]
                        b2[p] = r2 + a22 * v0[p] + c12 * u0[p]
                        let sw = wH[p] + (x > 0 ? wH[p - 1] : 0) + wV[p] + (y > 0 ? wV[p - w] : 0)
                        inv1[p] = 1 / (a11 + sw + 1e-9)
                        inv2[p] = 1 / (a22 + sw + 1e-9)
                    }
                }
            }
        }

        /// One red (colour 0) or black (colour 1) half-sweep: pixels with (x + y) % 2 == colour.
        func sorPass(colour: Int) {
            let om = omega
            FlowParallel.forRanges(h, costPerItem: w * 15) { rows in
                for y in rows {
                    var x = (y + colour) & 1
                    while x < w {
                        let p = y * w + x
                        let wl: Float = x > 0 ? wH[p - 1] : 0, wr = wH[p]
                        let wt: Float = y > 0 ? wV[p - w] : 0, wd = wV[p]
                        let ul = x > 0 ? wu[p - 1] : 0, ur = x + 1 < w ? wu[p + 1] : 0
                        let ut = y > 0 ? wu[p - w] : 0, ud = y + 1 < h ? wu[p + w] : 0
                        let vl = x > 0 ? wv[p - 1] : 0, vr = x + 1 < w ? wv[p + 1] : 0
                        let vt = y > 0 ? wv[p - w] : 0, vd = y + 1 < h ? wv[p + w] : 0
                        let su = wl * ul + wr * ur + wt * ut + wd * ud
                        let sv = wl * vl + wr * vr + wt * vt + wd * vd
                        let nu = (b1[p] - a12[p] * wv[p] + su) * inv1[p]
                        let newU = wu[p] + om * (nu - wu[p])
                        wu[p] = newU
                        let nv = (b2[p] - a12[p] * newU + sv) * inv2[p]
                        wv[p] = wv[p] + om * (nv - wv[p])
                        x += 2
                    }
                }
            }
        }
    }
}
