import Dispatch

/// One pyramid level of DIS: inverse search of a patch grid, then densification.
///
/// Inverse compositional (Baker & Matthews 2004): the Hessian of each patch is built once from
/// the first frame's gradients, so an iteration costs one bilinear sample of the second frame
/// per pixel. Patches are zero-mean normalised, so a global brightness change does not bias them.
/// Every patch row is one `SIMD8<Float>`, and all samples of a patch share one bilinear weight
/// set (the displacement is constant over the patch), so the inner loop is eight vector FMAs.
struct PatchSearch {
    typealias Row = SIMD8<Float>
    let first: PlanarImage
    let second: PlanarImage
    let stride: Int
    let iterations: Int

    /// Patch origins along one axis: every `stride` pixels, with the last patch flush with the edge.
    static func origins(length: Int, stride: Int) -> [Int] {
        let last = length - DISFlow.patchSize
        var xs = Array(Swift.stride(from: 0, through: last, by: max(1, stride)))
        if xs.last != last { xs.append(last) }
        return xs
    }

    func run(initial: FlowField) -> FlowField {
        let w = first.width, h = first.height
        let xs = Self.origins(length: w, stride: stride), ys = Self.origins(length: h, stride: stride)
        let gx = FloatBuffer(count: w * h), gy = FloatBuffer(count: w * h)
        let i0 = FloatBuffer(first.data), i1 = FloatBuffer(second.data)
        ImageGradient.x(i0.pointer, width: w, height: h, into: gx.pointer)
        ImageGradient.y(i0.pointer, width: w, height: h, into: gy.pointer)
        let pu = FloatBuffer(count: xs.count * ys.count), pv = FloatBuffer(count: xs.count * ys.count)
        let half = DISFlow.patchSize / 2

        // Stripes of patch rows run in parallel; inside a stripe, patches run in raster order so
        // each can start from its left or upper neighbour's result when that fits better.
        let stripes = min(ys.count, FlowParallel.cores * 2)
        let context = Context(i0: i0.pointer, i1: i1.pointer, gx: gx.pointer, gy: gy.pointer, width: w, height: h,
                              owners: [i0, i1, gx, gy])
        let iters = iterations
        initial.u.withUnsafeBufferPointer { iu in initial.v.withUnsafeBufferPointer { iv in
            DispatchQueue.concurrentPerform(iterations: stripes) { s in
                let r0 = ys.count * s / stripes, r1 = ys.count * (s + 1) / stripes
                let scratch = UnsafeMutablePointer<Row>.allocate(capacity: 8)
                let storage = UnsafeMutablePointer<Row>.allocate(capacity: 24)
                defer { scratch.deallocate(); storage.deallocate() }
                for r in r0..<r1 {
                    for c in 0..<xs.count {
                        let px = xs[c], py = ys[r]
                        let centre = (py + half) * w + px + half
                        var patch = context.template(x: px, y: py, storage: storage)
                        var u = iu[centre], v = iv[centre]
                        var best = context.cost(patch, x: px, y: py, u: u, v: v, scratch: scratch)
                        if c > 0 {
                            let k = r * xs.count + c - 1
                            let e = context.cost(patch, x: px, y: py, u: pu.pointer[k], v: pv.pointer[k], scratch: scratch)
                            if e < best { best = e; u = pu.pointer[k]; v = pv.pointer[k] }
                        }
                        if r > r0 {
                            let k = (r - 1) * xs.count + c
                            let e = context.cost(patch, x: px, y: py, u: pu.pointer[k], v: pv.pointer[k], scratch: scratch)
                            if e < best { best = e; u = pu.pointer[k]; v = pv.pointer[k] }
                        }
                        let (su, sv) = (u, v)
                        context.descend(&patch, x: px, y: py, u: &u, v: &v, iterations: iters, scratch: scratch)
                        // A patch that wandered further than its own size found something else.
                        if (u - su) * (u - su) + (v - sv) * (v - sv) > Float(DISFlow.patchSize * DISFlow.patchSize) {
                            u = su; v = sv
                        }
                        pu.pointer[r * xs.count + c] = u
                        pv.pointer[r * xs.count + c] = v
                    }
                }
            }
        } }
        let flow = densify(context: context, xs: xs, ys: ys, pu: pu, pv: pv)
        withExtendedLifetime(context) {}
        return flow
    }

    /// Each pixel's flow: the patches covering it, each weighted by 1 / max(1, |I1(x + u_i) - I0(x)|).
    func densify(context: Context, xs: [Int], ys: [Int], pu: FloatBuffer, pv: FloatBuffer) -> FlowField {
        let w = first.width, h = first.height, ps = DISFlow.patchSize
        var out = FlowField(width: w, height: h)
        out.u.withUnsafeMutableBufferPointer { ou in out.v.withUnsafeMutableBufferPointer { ov in
            let oub = ou.baseAddress!, ovb = ov.baseAddress!
            FlowParallel.forRanges(h, costPerItem: w * 40) { rows in
                let acc = UnsafeMutablePointer<Float>.allocate(capacity: 3 * w)
                defer { acc.deallocate() }
                // Patch rows covering image row y are those with origin in (y - ps, y].
                var firstRow = 0
                for y in rows {
                    acc.initialize(repeating: 0, count: 3 * w)
                    while firstRow < ys.count && ys[firstRow] + ps <= y { firstRow += 1 }
                    var r = firstRow
                    while r < ys.count && ys[r] <= y {
                        for c in 0..<xs.count {
                            let k = r * xs.count + c
                            context.accumulate(row: y, x: xs[c], u: pu.pointer[k], v: pv.pointer[k], into: acc)
                        }
                        r += 1
                    }
                    for x in 0..<w {
                        let wt = acc[2 * w + x]
                        oub[y * w + x] = wt > 0 ? acc[x] / wt : 0
                        ovb[y * w + x] = wt > 0 ? acc[w + x] / wt : 0
                    }
                }
            }
        } }
        return out
    }

    /// Raw pointers into one level's planes, shared read-only by all workers.
    struct Context: @unchecked Sendable {
        let i0: UnsafeMutablePointer<Float>, i1: UnsafeMutablePointer<Float>
        let gx: UnsafeMutablePointer<Float>, gy: UnsafeMutablePointer<Float>
        let width: Int, height: Int
        /// Keeps the buffers behind the pointers above alive as long as the context is.
        let owners: [FloatBuffer]

        struct Template {
            /// 24 rows of caller-owned storage: the zero-mean patch, then its x and y gradients.
            let t: UnsafeMutablePointer<Row>
            var tx: UnsafeMutablePointer<Row> { t + 8 }
            var ty: UnsafeMutablePointer<Row> { t + 16 }
            var sumTx: Float = 0, sumTy: Float = 0, sumTxT: Float = 0, sumTyT: Float = 0, sumTT: Float = 0
            var h11: Float = 0, h12: Float = 0, h22: Float = 0
        }

        @inline(__always) func load(_ p: UnsafeMutablePointer<Float>) -> Row {
            UnsafeRawPointer(p).loadUnaligned(as: Row.self)
        }

        /// The zero-mean patch at (x, y) of the first frame with its gradients and Hessian.
        func template(x: Int, y: Int, storage: UnsafeMutablePointer<Row>) -> Template {
            var tp = Template(t: storage)
            var sum = Row.zero
            for r in 0..<8 { let row = load(i0 + (y + r) * width + x); tp.t[r] = row; sum += row }
            let mean = sum.sum() / 64
            var sx = Row.zero, sy = Row.zero, sxt = Row.zero, syt = Row.zero, stt = Row.zero
            var a = Row.zero, b = Row.zero, c = Row.zero
            for r in 0..<8 {
                let t = tp.t[r] - mean
                let dx = load(gx + (y + r) * width + x), dy = load(gy + (y + r) * width + x)
                tp.t[r] = t; tp.tx[r] = dx; tp.ty[r] = dy
                sx += dx; sy += dy; sxt += dx * t; syt += dy * t; stt += t * t
                a += dx * dx; b += dx * dy; c += dy * dy
            }
            tp.sumTx = sx.sum(); tp.sumTy = sy.sum(); tp.sumTxT = sxt.sum(); tp.sumTyT = syt.sum(); tp.sumTT = stt.sum()
            // A small ridge keeps flat patches (no gradient) from producing huge steps.
            tp.h11 = a.sum() + 1e-2; tp.h12 = b.sum(); tp.h22 = c.sum() + 1e-2
            return tp
        }

        /// The second frame's 8x8 patch at (x + u, y + v), bilinear, borders replicated.
        @inline(__always) func sample(x: Int, y: Int, u: Float, v: Float, into rows: UnsafeMutablePointer<Row>) {
            let fxAll = Float(x) + u, fyAll = Float(y) + v
            let bx = fxAll.rounded(.down), by = fyAll.rounded(.down)
            let fx = fxAll - bx, fy = fyAll - by
            let w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy
            if bx.isFinite && by.isFinite, bx >= 0, by >= 0, Int(bx) + 9 <= width, Int(by) + 9 <= height {
                let ix = Int(bx), iy = Int(by)
                var top = i1 + iy * width + ix
                var a = load(top), b = load(top + 1)
                for r in 0..<8 {
                    let bottom = top + width
                    let c = load(bottom), d = load(bottom + 1)
                    rows[r] = w00 * a + w01 * b + w10 * c + w11 * d
                    a = c; b = d; top = bottom
                }
                return
            }
            let clampedBX = bx.isFinite ? max(-1e6, min(1e6, bx)) : 0, clampedBY = by.isFinite ? max(-1e6, min(1e6, by)) : 0
            let ix = Int(clampedBX), iy = Int(clampedBY)
            for r in 0..<8 {
                let y0 = min(max(iy + r, 0), height - 1), y1 = min(max(iy + r + 1, 0), height - 1)
                var row = Row.zero
                for k in 0..<8 {
                    let x0 = min(max(ix + k, 0), width - 1), x1 = min(max(ix + k + 1, 0), width - 1)
                    row[k] = w00 * i1[y0 * width + x0] + w01 * i1[y0 * width + x1] + w10 * i1[y1 * width + x0] + w11 * i1[y1 * width + x1]
                }
                rows[r] = row
            }
        }

        /// Zero-mean sum of squared differences between the template and the displaced patch.
        func cost(_ tp: Template, x: Int, y: Int, u: Float, v: Float, scratch: UnsafeMutablePointer<Row>) -> Float {
            sample(x: x, y: y, u: u, v: v, into: scratch)
            var sp = Row.zero, spp = Row.zero, spt = Row.zero
            for r in 0..<8 { let p = scratch[r]; sp += p; spp += p * p; spt += p * tp.t[r] }
            let s = sp.sum()
            return spp.sum() - s * s / 64 - 2 * spt.sum() + tp.sumTT
        }

        /// Gauss-Newton steps u <- u - H^-1 sum(grad T * (P - mean P - T)).
        func descend(_ tp: inout Template, x: Int, y: Int, u: inout Float, v: inout Float, iterations: Int,
                     scratch: UnsafeMutablePointer<Row>) {
            let det = tp.h11 * tp.h22 - tp.h12 * tp.h12
            guard det > 1e-6 else { return }
            let i11 = tp.h22 / det, i12 = -tp.h12 / det, i22 = tp.h11 / det
            for _ in 0..<iterations {
                sample(x: x, y: y, u: u, v: v, into: scratch)
                var sp = Row.zero, sxp = Row.zero, syp = Row.zero
                for r in 0..<8 { let p = scratch[r]; sp += p; sxp += tp.tx[r] * p; syp += tp.ty[r] * p }
                let meanP = sp.sum() / 64
                let b1 = sxp.sum() - meanP * tp.sumTx - tp.sumTxT
                let b2 = syp.sum() - meanP * tp.sumTy - tp.sumTyT
                let du = i11 * b1 + i12 * b2, dv = i12 * b1 + i22 * b2
                u -= du; v -= dv
                if du * du + dv * dv < 1e-6 { break }
            }
        }

        /// Adds one patch's contribution to image row `row`: acc[x] += wt*u, acc[w+x] += wt*v, acc[2w+x] += wt.
        func accumulate(row: Int, x: Int, u: Float, v: Float, into acc: UnsafeMutablePointer<Float>) {
            let sx = Float(x) + u, sy = Float(row) + v
            let bx = sx.rounded(.down), by = sy.rounded(.down)
            let fx = sx - bx, fy = sy - by
            let w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy
            var p = Row.zero
            if bx.isFinite && by.isFinite, bx >= 0, by >= 0, Int(bx) + 9 <= width, Int(by) + 2 <= height {
                let top = i1 + Int(by) * width + Int(bx)
                p = w00 * load(top) + w01 * load(top + 1) + w10 * load(top + width) + w11 * load(top + width + 1)
            } else {
                let ix = bx.isFinite ? Int(max(-1e6, min(1e6, bx))) : 0, iy = by.isFinite ? Int(max(-1e6, min(1e6, by))) : 0
                let y0 = min(max(iy, 0), height - 1), y1 = min(max(iy + 1, 0), height - 1)
                for k in 0..<8 {
                    let x0 = min(max(ix + k, 0), width - 1), x1 = min(max(ix + k + 1, 0), width - 1)
                    p[k] = w00 * i1[y0 * width + x0] + w01 * i1[y0 * width + x1] + w10 * i1[y1 * width + x0] + w11 * i1[y1 * width + x1]
                }
            }
            let d = p - load(i0 + row * width + x)
            let diff = d.replacing(with: -d, where: d .< 0)
            let wt = 1 / diff.replacing(with: 1, where: diff .< 1)
            let au = acc + x, av = acc + width + x, aw = acc + 2 * width + x
            UnsafeMutableRawPointer(au).storeBytes(of: load(au) + wt * u, as: Row.self)
            UnsafeMutableRawPointer(av).storeBytes(of: load(av) + wt * v, as: Row.self)
            UnsafeMutableRawPointer(aw).storeBytes(of: load(aw) + wt, as: Row.self)
        }
    }
}
