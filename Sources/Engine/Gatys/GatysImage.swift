/// Images as the Gatys renderer sees them: `Tensor`s of shape [1, 3, height, width] holding RGB
/// values in 0...255 (what an 8-bit frame gives, without rounding). The renderer works in the VGG
/// weights' Caffe space internally; these helpers convert, resize and make starting images.
public enum GatysImage {
    /// RGB 0...255 -> BGR minus the ImageNet mean (the VGG weights' input).
    public static func toCaffe(_ rgb: Tensor) -> Tensor { permuteAndShift(rgb, sign: -1) }

    /// BGR minus mean -> RGB 0...255 (not clamped).
    public static func fromCaffe(_ caffe: Tensor) -> Tensor { permuteAndShift(caffe, sign: 1) }

    /// Swaps channels 0 and 2 and adds `sign` times the mean (BGR order on the Caffe side).
    private static func permuteAndShift(_ x: Tensor, sign: Float) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[0] == 1 && x.shape[1] == 3, "GatysImage: expected [1, 3, h, w], got \(x.shape)")
        let plane = x.shape[2] * x.shape[3]
        var y = Tensor(shape: x.shape)
        x.withUnsafeBufferPointer { src in y.withUnsafeMutableBufferPointer { dst in
            for c in 0..<3 {
                // Caffe channel c is BGR; RGB channel 2 - c. The mean is indexed by the BGR channel.
                let from = 2 - c
                let mean = VGGWeights.meanBGR[sign < 0 ? c : from] * sign
                for i in 0..<plane { dst[c * plane + i] = src[from * plane + i] + mean }
            }
        } }
        return y
    }

    /// Channels 0 and 2 swapped: maps a gradient with respect to RGB to one with respect to the
    /// Caffe input and back (the mean shift does not change gradients).
    public static func swappingRedAndBlue(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == 3, "GatysImage: expected [n, 3, h, w], got \(x.shape)")
        let plane = x.shape[2] * x.shape[3]
        var y = Tensor(shape: x.shape)
        x.withUnsafeBufferPointer { src in y.withUnsafeMutableBufferPointer { dst in
            for b in 0..<x.shape[0] { for c in 0..<3 {
                let o = b * 3 * plane
                for i in 0..<plane { dst[o + c * plane + i] = src[o + (2 - c) * plane + i] }
            } }
        } }
        return y
    }

    /// Clamps to 0...255.
    public static func clamped(_ rgb: Tensor) -> Tensor { rgb.map { min(255, max(0, $0)) } }

    /// The Caffe-space values (BGR minus the mean, planes of `plane` values) that an RGB 0...255
    /// picture can hold: channel c from -mean[c] to 255 - mean[c].
    static func caffeBounds(count: Int, plane: Int) -> BoxBounds {
        var lower = [Float](repeating: 0, count: count), upper = lower
        for i in 0..<count {
            lower[i] = -VGGWeights.meanBGR[(i / plane) % 3]
            upper[i] = 255 + lower[i]
        }
        return BoxBounds(lower: lower, upper: upper)
    }

    /// A seeded noise image: mid-grey plus uniform noise of amplitude 64.
    public static func noise(width: Int, height: Int, seed: UInt64) -> Tensor {
        var state = seed
        var t = Tensor(shape: [1, 3, height, width])
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                p[i] = 127.5 + (Float(z >> 40) / Float(1 << 24) * 2 - 1) * 64
            }
        }
        return t
    }

    /// Resamples with a triangle (bilinear) filter widened by the scale factor when shrinking,
    /// so that downscaling a large painting averages its strokes instead of aliasing them.
    public static func resized(_ x: Tensor, width: Int, height: Int) -> Tensor {
        precondition(x.shape.count == 4 && width > 0 && height > 0, "GatysImage.resized: bad request")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        if h == height && w == width { return x }
        let rows = weights(from: h, to: height), cols = weights(from: w, to: width)
        var tmp = [Float](repeating: 0, count: n * c * h * width)
        x.withUnsafeBufferPointer { src in
            for p in 0..<(n * c) { for y in 0..<h {
                let line = p * h * w + y * w, out = (p * h + y) * width
                for (ox, taps) in cols.enumerated() {
                    var s: Float = 0
                    for (i, wt) in taps { s += src[line + i] * wt }
                    tmp[out + ox] = s
                }
            } }
        }
        var y = Tensor(shape: [n, c, height, width])
        y.withUnsafeMutableBufferPointer { dst in
            for p in 0..<(n * c) { for (oy, taps) in rows.enumerated() {
                let out = (p * height + oy) * width
                for ox in 0..<width {
                    var s: Float = 0
                    for (i, wt) in taps { s += tmp[(p * h + i) * width + ox] * wt }
                    dst[out + ox] = s
                }
            } }
        }
        return y
    }

    /// For each output index, the (input index, weight) taps of a triangle filter, weights summing to 1.
    static func weights(from n: Int, to m: Int) -> [[(Int, Float)]] {
        let scale = Double(n) / Double(m)
        let support = max(1, scale)
        return (0..<m).map { o in
            let centre = (Double(o) + 0.5) * scale - 0.5
            let lo = Int((centre - support).rounded(.up)), hi = Int((centre + support).rounded(.down))
            var taps: [(Int, Float)] = []
            var total = 0.0
            for i in max(0, lo)...min(n - 1, max(0, hi)) {
                let wt = max(0, 1 - abs(Double(i) - centre) / support)
                if wt > 0 { taps.append((i, Float(wt))); total += wt }
            }
            if taps.isEmpty { return [(min(n - 1, max(0, Int(centre.rounded()))), 1)] }
            return taps.map { ($0.0, Float(Double($0.1) / total)) }
        }
    }
}
