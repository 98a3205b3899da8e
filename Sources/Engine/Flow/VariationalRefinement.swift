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
        let insideMask = Warp.insideMask(flow)

        // Motion tensors: J (brightness) and G (gradient constancy), entries 11 12 22 13 23 33,
        // accumulated straight into the red-black layout the solver uses.
        let layout = RedBlackLayout(width: w, height: h)
        let J = (0..<6).map { _ in RedBlackPlane(layout) }, G = (0..<6).map { _ in RedBlackPlane(layout) }
        let pool = FloatBufferPool.shared
        let scratch = (0..<11).map { _ in pool.take(n) }
        let warpedPlane = scratch[9]
        let (ia, iz, ix, iy, ixz) = (scratch[0], scratch[1], scratch[2], scratch[3], scratch[4])
        let (iyz, ixx, ixy, iyy) = (scratch[5], scratch[6], scratch[7], scratch[8])
        let inside = scratch[10]   // padded, so eight-wide loads may run past the last pixel
        insideMask.withUnsafeBufferPointer { inside.pointer.update(from: $0.baseAddress!, count: n) }
        let z2 = zeta * zeta
        first.data.withUnsafeBufferPointer { f in second.data.withUnsafeBufferPointer { s in
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
                let insp = inside.pointer
                let ixp = ix.pointer, iyp = iy.pointer, izp2 = iz.pointer
                let ixxp = ixx.pointer, ixyp = ixy.pointer, iyyp = iyy.pointer, ixzp = ixz.pointer, iyzp = iyz.pointer
                let jr = J.map(\.colour), gr = G.map(\.colour)
                FlowParallel.forRanges(h, costPerItem: 60 * w) { rows in
                    // The twelve tensor entries of one row, computed eight pixels at a time in
                    // row-major order, then added into the two colours' rows.
                    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: 12 * (w + 8))
                    defer { tmp.deallocate() }
                    typealias V = SIMD8<Float>
                    @inline(__always) func ld(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
                    @inline(__always) func st(_ v: V, _ entry: Int, _ x: Int) {
                        UnsafeMutableRawPointer(tmp + entry * (w + 8) + x).storeBytes(of: v, as: V.self)
                    }
                    for row in rows {
                        var x0 = 0
                        while x0 < w {
                            // Reads up to 7 floats past the row (the next row or the buffers' padding); unused.
                            let i = row * w + x0
                            let inside = ld(insp + i)
                            let x = ld(ixp + i), y = ld(iyp + i), z = ld(izp2 + i)
                            let nb = inside / (x * x + y * y + z2)
                            st(nb * x * x, 0, x0); st(nb * x * y, 1, x0); st(nb * y * y, 2, x0)
                            st(nb * x * z, 3, x0); st(nb * y * z, 4, x0); st(nb * z * z, 5, x0)
                            let sxx = ld(ixxp + i), sxy = ld(ixyp + i), syy = ld(iyyp + i), xz = ld(ixzp + i), yz = ld(iyzp + i)
                            let ngx = inside / (sxx * sxx + sxy * sxy + z2), ngy = inside / (sxy * sxy + syy * syy + z2)
                            st(ngx * sxx * sxx + ngy * sxy * sxy, 6, x0)
                            st(ngx * sxx * sxy + ngy * sxy * syy, 7, x0)
                            st(ngx * sxy * sxy + ngy * syy * syy, 8, x0)
                            st(ngx * sxx * xz + ngy * sxy * yz, 9, x0)
                            st(ngx * sxy * xz + ngy * syy * yz, 10, x0)
                            st(ngx * xz * xz + ngy * yz * yz, 11, x0)
                            x0 += 8
                        }
                        for c in 0..<2 {
                            let o = layout.parity(row, c), n = layout.length(row, c)
                            for e in 0..<12 {
                                let plane = e < 6 ? jr[e] : gr[e - 6]
                                let dst = (c == 0 ? plane.0 : plane.1) + layout.row(row), src = tmp + e * (w + 8) + o
                                for k in 0..<n { dst[k] += src[2 * k] }
                            }
                        }
                    }
                }
            }
        } } } }

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
