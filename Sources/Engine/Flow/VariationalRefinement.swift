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
    var omega: Float = 1.9
    var zeta: Float = 0.1
    var epsilon: Float = 0.001

    func refine(_ flow: inout FlowField, first: PlanarImage, second: PlanarImage) {
        let w = flow.width, h = flow.height, n = w * h
        precondition(first.width == w && first.height == h && second.width == w && second.height == h)
        let inside = Warp.insideMask(flow)

        // Motion tensors: J (brightness) and G (gradient constancy), entries 11 12 22 13 23 33,
        // accumulated straight into the red-black layout the solver uses.
        let layout = RedBlackLayout(width: w, height: h)
        let J = (0..<6).map { _ in RedBlackPlane(layout) }, G = (0..<6).map { _ in RedBlackPlane(layout) }
        let pool = FloatBufferPool.shared
        let scratch = (0..<10).map { _ in pool.take(n) }
        let warpedPlane = scratch[9]
        let (ia, iz, ix, iy, ixz) = (scratch[0], scratch[1], scratch[2], scratch[3], scratch[4])
        let (iyz, ixx, ixy, iyy) = (scratch[5], scratch[6], scratch[7], scratch[8])
        let z2 = zeta * zeta
        first.data.withUnsafeBufferPointer { f in second.data.withUnsafeBufferPointer { s in inside.withUnsafeBufferPointer { ins in
        flow.u.withUnsafeBufferPointer { fu in flow.v.withUnsafeBufferPointer { fv in
            for c in 0..<first.channels {
                let f0 = f.baseAddress! + c * n, s1 = UnsafePointer(warpedPlane.pointer)
                Warp.warpPlane(s.baseAddress! + c * n, width: w, height: h, u: fu.baseAddress!, v: fv.baseAddress!, into: warpedPlane.pointer)
                let iap = ia.pointer, izp = iz.pointer
                for i in 0..<n { iap[i] = 0.5 * (f0[i] + s1[i]); izp[i] = s1[i] - f0[i] }
                ImageGradient.x5(ia.pointer, width: w, height: h, into: ix.pointer)
                ImageGradient.y5(ia.pointer, width: w, height: h, into: iy.pointer)
                ImageGradient.x5(iz.pointer, width: w, height: h, into: ixz.pointer)
                ImageGradient.y5(iz.pointer, width: w, height: h, into: iyz.pointer)
                ImageGradient.x5(ix.pointer, width: w, height: h, into: ixx.pointer)
                ImageGradient.y5(ix.pointer, width: w, height: h, into: ixy.pointer)
                ImageGradient.y5(iy.pointer, width: w, height: h, into: iyy.pointer)
                let insp = ins.baseAddress!
                let ixp = ix.pointer, iyp = iy.pointer, izp2 = iz.pointer
                let ixxp = ixx.pointer, ixyp = ixy.pointer, iyyp = iyy.pointer, ixzp = ixz.pointer, iyzp = iyz.pointer
                let jr = J.map(\.colour), gr = G.map(\.colour)
                FlowParallel.forRanges(h, costPerItem: 60 * w) { rows in
                    for row in rows { for c in 0..<2 {
                        // Pixels of colour c in this row: x = start, start + 2, ...; k = x / 2.
                        @inline(__always) func pick(_ t: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)) -> UnsafeMutablePointer<Float> {
                            (c == 0 ? t.0 : t.1) + layout.row(row)
                        }
                        let j0 = pick(jr[0]), j1 = pick(jr[1]), j2 = pick(jr[2]), j3 = pick(jr[3]), j4 = pick(jr[4]), j5 = pick(jr[5])
                        let g0 = pick(gr[0]), g1 = pick(gr[1]), g2 = pick(gr[2]), g3 = pick(gr[3]), g4 = pick(gr[4]), g5 = pick(gr[5])
                        var xx = (row + c) & 1
                        while xx < w {
                            let i = row * w + xx, k = xx >> 1
                            xx += 2
                            guard insp[i] > 0 else { continue }
                            let x = ixp[i], y = iyp[i], z = izp2[i]
                            let nb = 1 / (x * x + y * y + z2)
                            j0[k] += nb * x * x; j1[k] += nb * x * y; j2[k] += nb * y * y
                            j3[k] += nb * x * z; j4[k] += nb * y * z; j5[k] += nb * z * z
                            let sxx = ixxp[i], sxy = ixyp[i], syy = iyyp[i], xz = ixzp[i], yz = iyzp[i]
                            let ngx = 1 / (sxx * sxx + sxy * sxy + z2), ngy = 1 / (sxy * sxy + syy * syy + z2)
                            g0[k] += ngx * sxx * sxx + ngy * sxy * sxy
                            g1[k] += ngx * sxx * sxy + ngy * sxy * syy
                            g2[k] += ngx * sxy * sxy + ngy * syy * syy
                            g3[k] += ngx * sxx * xz + ngy * sxy * yz
                            g4[k] += ngx * sxy * xz + ngy * syy * yz
                            g5[k] += ngx * xz * xz + ngy * yz * yz
                        }
                    } }
                }
            }
        } } } } }

        pool.recycle(scratch)
        func split(_ p: UnsafePointer<Float>) -> RedBlackPlane { let r = RedBlackPlane(layout); r.split(p); return r }
        let u0 = flow.u.withUnsafeBufferPointer { split($0.baseAddress!) }, v0 = flow.v.withUnsafeBufferPointer { split($0.baseAddress!) }
        let system = RedBlackSystem(layout: layout, j: J, g: G, u: u0, v: v0,
                                    alpha: alpha, gamma: gamma, delta: delta, eps2: epsilon * epsilon, omega: omega)
        for _ in 0..<fixedPointIterations {
            system.updateSmoothnessWeights()
            system.updateDataTerms()
            for _ in 0..<sorIterations {
                system.sorPass(colour: 0)
                system.sorPass(colour: 1)
            }
        }
        flow.u.withUnsafeMutableBufferPointer { system.wu.merge(into: $0.baseAddress!) }
        flow.v.withUnsafeMutableBufferPointer { system.wv.merge(into: $0.baseAddress!) }
        RedBlackPlane.recycle(system.planes)
    }
}
