/// Bilinear backward warping: `warped(x, y) = image(x + u(x, y), y + v(x, y))`.
///
/// With the flow from frame t to frame t-1, this carries frame t-1 (or its stylised version, or
/// a feature map of it) onto frame t's grid, which is what the temporal losses compare. The
/// backward pass scatters a gradient on the warped image back to the source pixels with the same
/// bilinear weights, so a loss on the warped image trains whatever produced the source.
public enum Warp {
    /// What a sample outside the frame reads.
    public enum Border: Sendable {
        /// The nearest pixel inside the frame (no dark fringes; masks should still exclude them).
        case replicate
        /// Zero beyond the frame (the bilinear taps that fall outside count as 0).
        case zero
    }

    /// Per output pixel: four source indices and their bilinear weights (zero for taps outside
    /// the frame when `border` is `.zero`). Computed once and reused for every channel.
    struct Taps {
        var index: [Int32]   // 4 per pixel
        var weight: [Float]  // 4 per pixel
    }

    static func taps(width w: Int, height h: Int, flow: FlowField, border: Border) -> Taps {
        let n = w * h
        var index = [Int32](repeating: 0, count: 4 * n), weight = [Float](repeating: 0, count: 4 * n)
        flow.u.withUnsafeBufferPointer { up in flow.v.withUnsafeBufferPointer { vp in
        index.withUnsafeMutableBufferPointer { ip in weight.withUnsafeMutableBufferPointer { wp in
            let ib = ip.baseAddress!, wb = wp.baseAddress!
            FlowParallel.forRanges(h, costPerItem: w * 8) { rows in
                for y in rows { for x in 0..<w {
                    let p = y * w + x
                    var sx = Float(x) + up[p], sy = Float(y) + vp[p]
                    if !sx.isFinite { sx = -2 }
                    if !sy.isFinite { sy = -2 }
                    var x0: Int, y0: Int, fx: Float, fy: Float
                    var validX0 = true, validX1 = true, validY0 = true, validY1 = true
                    switch border {
                    case .replicate:
                        sx = min(max(sx, 0), Float(w - 1)); sy = min(max(sy, 0), Float(h - 1))
                        x0 = min(Int(sx), max(w - 2, 0)); y0 = min(Int(sy), max(h - 2, 0))
                        fx = sx - Float(x0); fy = sy - Float(y0)
                    case .zero:
                        sx = min(max(sx, -2), Float(w + 1)); sy = min(max(sy, -2), Float(h + 1))
                        let flx = sx.rounded(.down), fly = sy.rounded(.down)
                        x0 = Int(flx); y0 = Int(fly); fx = sx - flx; fy = sy - fly
                        validX0 = x0 >= 0 && x0 < w; validX1 = x0 + 1 >= 0 && x0 + 1 < w
                        validY0 = y0 >= 0 && y0 < h; validY1 = y0 + 1 >= 0 && y0 + 1 < h
                    }
                    let x1 = min(max(x0 + 1, 0), w - 1), y1 = min(max(y0 + 1, 0), h - 1)
                    let cx0 = min(max(x0, 0), w - 1), cy0 = min(max(y0, 0), h - 1)
                    ib[4 * p] = Int32(cy0 * w + cx0); ib[4 * p + 1] = Int32(cy0 * w + x1)
                    ib[4 * p + 2] = Int32(y1 * w + cx0); ib[4 * p + 3] = Int32(y1 * w + x1)
                    wb[4 * p] = validX0 && validY0 ? (1 - fx) * (1 - fy) : 0
                    wb[4 * p + 1] = validX1 && validY0 ? fx * (1 - fy) : 0
                    wb[4 * p + 2] = validX0 && validY1 ? (1 - fx) * fy : 0
                    wb[4 * p + 3] = validX1 && validY1 ? fx * fy : 0
                } }
            }
        } } } }
        return Taps(index: index, weight: weight)
    }

    /// `image` warped backward by `flow` (same width and height; any channel count).
    public static func backward(_ image: PlanarImage, by flow: FlowField, border: Border = .replicate) -> PlanarImage {
        precondition(image.width == flow.width && image.height == flow.height, "warp: image and flow sizes differ")
        let n = image.planeSize
        guard n > 0 else { return image }
        let t = taps(width: image.width, height: image.height, flow: flow, border: border)
        var out = PlanarImage(width: image.width, height: image.height, channels: image.channels)
        image.data.withUnsafeBufferPointer { sp in out.data.withUnsafeMutableBufferPointer { dp in
        t.index.withUnsafeBufferPointer { ip in t.weight.withUnsafeBufferPointer { wp in
            let s = sp.baseAddress!, d = dp.baseAddress!, ib = ip.baseAddress!, wb = wp.baseAddress!
            FlowParallel.forRanges(image.channels * image.height, costPerItem: image.width * 8) { rows in
                for row in rows {
                    let c = row / image.height, y = row % image.height
                    let src = s + c * n, dst = d + c * n
                    for p in (y * image.width)..<((y + 1) * image.width) {
                        let i = ib + 4 * p, w = wb + 4 * p
                        dst[p] = w[0] * src[Int(i[0])] + w[1] * src[Int(i[1])] + w[2] * src[Int(i[2])] + w[3] * src[Int(i[3])]
                    }
                }
            }
        } } } }
        return out
    }

    /// The backward pass of `backward(_:by:border:)` with respect to the image: given
    /// `outputGradient` = dL/d(warped), returns dL/d(image) (the transpose of the bilinear map).
    public static func backwardGradient(_ outputGradient: PlanarImage, by flow: FlowField,
                                        border: Border = .replicate) -> PlanarImage {
        precondition(outputGradient.width == flow.width && outputGradient.height == flow.height,
                     "warp: gradient and flow sizes differ")
        let n = outputGradient.planeSize
        guard n > 0 else { return outputGradient }
        let t = taps(width: flow.width, height: flow.height, flow: flow, border: border)
        var out = PlanarImage(width: flow.width, height: flow.height, channels: outputGradient.channels)
        outputGradient.data.withUnsafeBufferPointer { gp in out.data.withUnsafeMutableBufferPointer { dp in
        t.index.withUnsafeBufferPointer { ip in t.weight.withUnsafeBufferPointer { wp in
            let g = gp.baseAddress!, d = dp.baseAddress!, ib = ip.baseAddress!, wb = wp.baseAddress!
            // Scatter-add races between pixels, so channels (independent) are the parallel unit.
            FlowParallel.forRanges(outputGradient.channels, costPerItem: n * 8) { channels in
                for c in channels {
                    let src = g + c * n, dst = d + c * n
                    for p in 0..<n {
                        let i = ib + 4 * p, w = wb + 4 * p, gv = src[p]
                        dst[Int(i[0])] += w[0] * gv; dst[Int(i[1])] += w[1] * gv
                        dst[Int(i[2])] += w[2] * gv; dst[Int(i[3])] += w[3] * gv
                    }
                }
            }
        } } } }
        return out
    }

    /// Whether each pixel's sample point `(x + u, y + v)` lies inside the frame (1) or not (0).
    public static func insideMask(_ flow: FlowField) -> [Float] {
        var m = [Float](repeating: 0, count: flow.pixelCount)
        let w = Float(flow.width - 1), h = Float(flow.height - 1)
        for y in 0..<flow.height { for x in 0..<flow.width {
            let p = y * flow.width + x
            let sx = Float(x) + flow.u[p], sy = Float(y) + flow.v[p]
            m[p] = sx >= 0 && sx <= w && sy >= 0 && sy <= h ? 1 : 0
        } }
        return m
    }
}
