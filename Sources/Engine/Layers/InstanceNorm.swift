/// Instance normalisation (Ulyanov et al. 2016): each channel of each image is shifted to zero mean
/// and scaled to unit variance over its pixels, then scaled by `scale` and shifted by `shift`
/// (per channel, learned). ReCoNet and Johnson's network use it instead of batch norm because the
/// style of one frame must not depend on the others in its batch.
///
/// Forward and backward share the per-plane statistics (mean and 1/sqrt(var + epsilon), biased
/// variance as in PyTorch). `backward` adds to `scaleGradient` and `shiftGradient`.
public final class InstanceNorm: Layer {
    public let channels: Int
    public let epsilon: Float
    /// When false the layer has no learned parameters (PyTorch's `affine=False`).
    public let affine: Bool
    /// Per-channel gamma, shape `[channels]`, ones at first.
    public var scale: Tensor
    /// Per-channel beta, shape `[channels]`, zeros at first.
    public var shift: Tensor
    public private(set) var scaleGradient: Tensor
    public private(set) var shiftGradient: Tensor
    /// When false, `backward` computes only the input gradient.
    public var computesParameterGradients = true

    var input: Tensor?
    var mean: [Float] = []
    var inverseDeviation: [Float] = []

    public init(channels: Int, epsilon: Float = 1e-5, affine: Bool = true) {
        precondition(channels > 0, "InstanceNorm: channels must be positive")
        self.channels = channels; self.epsilon = epsilon; self.affine = affine
        scale = Tensor(shape: [channels], repeating: 1)
        shift = Tensor(shape: [channels])
        scaleGradient = Tensor(shape: [channels])
        shiftGradient = Tensor(shape: [channels])
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == channels,
                     "InstanceNorm: expected [n, \(channels), h, w], got \(x.shape)")
        let planes = x.shape[0] * channels, pixels = x.shape[2] * x.shape[3]
        precondition(pixels > 0, "InstanceNorm: empty image")
        mean = [Float](repeating: 0, count: planes)
        inverseDeviation = [Float](repeating: 0, count: planes)
        var y = Tensor(uninitializedShape: x.shape)
        let eps = Double(epsilon)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            scale.withUnsafeBufferPointer { gp in shift.withUnsafeBufferPointer { bp in
                mean.withUnsafeMutableBufferPointer { mp in inverseDeviation.withUnsafeMutableBufferPointer { ip in
                    Parallel.forEachChunk(planes, elementsPerItem: 3 * pixels) { range in
                        for p in range {
                            let src = xp.baseAddress! + p * pixels, dst = yp.baseAddress! + p * pixels
                            let m = Elementwise.total(src, count: pixels) / Double(pixels)
                            let v = InstanceNorm.squaredDeviations(src, from: Float(m), count: pixels)
                            let inv = 1 / (v / Double(pixels) + eps).squareRoot()
                            mp[p] = Float(m); ip[p] = Float(inv)
                            let c = p % channels
                            let a = affine ? gp[c] * Float(inv) : Float(inv)
                            let b = (affine ? bp[c] : 0) - a * Float(m)
                            InstanceNorm.scaleAndShift(src, by: a, b, into: dst, count: pixels)
                        }
                    }
                } }
            } }
        } }
        input = x
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input else { preconditionFailure("InstanceNorm: backward before forward") }
        precondition(gradOutput.shape == x.shape, "InstanceNorm: gradient shape \(gradOutput.shape) != \(x.shape)")
        let planes = x.shape[0] * channels, pixels = x.shape[2] * x.shape[3]
        var dx = Tensor(uninitializedShape: x.shape)
        // Per-plane sums of dy and dy * xhat, reduced into the per-channel gradients afterwards so
        // that parallel planes never write the same slot.
        var sumDy = [Double](repeating: 0, count: planes), sumDyXhat = [Double](repeating: 0, count: planes)
        x.withUnsafeBufferPointer { xp in gradOutput.withUnsafeBufferPointer { gp in dx.withUnsafeMutableBufferPointer { dp in
            scale.withUnsafeBufferPointer { sp in mean.withUnsafeBufferPointer { mp in inverseDeviation.withUnsafeBufferPointer { ip in
                sumDy.withUnsafeMutableBufferPointer { s1 in sumDyXhat.withUnsafeMutableBufferPointer { s2 in
                    Parallel.forEachChunk(planes, elementsPerItem: 4 * pixels) { range in
                        for p in range {
                            let src = xp.baseAddress! + p * pixels, g = gp.baseAddress! + p * pixels
                            let dst = dp.baseAddress! + p * pixels
                            let m = mp[p], inv = ip[p]
                            let (a, b) = InstanceNorm.gradientSums(src, g, mean: m, inverseDeviation: inv, count: pixels)
                            s1[p] = a; s2[p] = b
                            // dx = gamma * inv * (dy - mean(dy) - xhat * mean(dy * xhat))
                            let gamma = affine ? sp[p % channels] : 1
                            InstanceNorm.inputGradient(src, g, mean: m, inverseDeviation: inv, scale: gamma * inv,
                                                       meanDy: Float(a / Double(pixels)),
                                                       meanDyXhat: Float(b / Double(pixels)),
                                                       into: dst, count: pixels)
                        }
                    }
                } }
            } } }
        } } }
        if affine && computesParameterGradients {
            scaleGradient.withUnsafeMutableBufferPointer { dg in shiftGradient.withUnsafeMutableBufferPointer { db in
                for p in 0..<planes {
                    dg[p % channels] += Float(sumDyXhat[p])
                    db[p % channels] += Float(sumDy[p])
                }
            } }
        }
        return dx
    }

    public func zeroGradients() {
        scaleGradient = Tensor(shape: [channels])
        shiftGradient = Tensor(shape: [channels])
    }

    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {
        guard affine else { return }
        body(&scale, scaleGradient)
        body(&shift, shiftGradient)
    }

    // Plane loops in SIMD8 lanes; partial sums go to Double every 4096 elements so long planes
    // (a 1080p channel is 2 M pixels) keep Float's rounding out of the statistics.

    static func squaredDeviations(_ x: UnsafePointer<Float>, from mean: Float, count: Int) -> Double {
        let raw = UnsafeRawPointer(x), m = SIMD8<Float>(repeating: mean)
        var acc = SIMD8<Float>.zero, total = 0.0, i = 0
        while i + 8 <= count {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m
            acc.addProduct(d, d)
            i += 8
            if i & 4095 == 0 { total += Double(acc.sum()); acc = .zero }
        }
        total += Double(acc.sum())
        while i < count { let d = Double(x[i] - mean); total += d * d; i += 1 }
        return total
    }

    static func scaleAndShift(_ x: UnsafePointer<Float>, by a: Float, _ b: Float,
                              into y: UnsafeMutablePointer<Float>, count: Int) {
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(y)
        let va = SIMD8<Float>(repeating: a), vb = SIMD8<Float>(repeating: b)
        var i = 0
        while i + 8 <= count {
            let v = src.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            dst.storeBytes(of: v * va + vb, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] = x[i] * a + b; i += 1 }
    }

    /// (sum(dy), sum(dy * xhat)) over one plane.
    static func gradientSums(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, mean: Float,
                             inverseDeviation inv: Float, count: Int) -> (Double, Double) {
        let px = UnsafeRawPointer(x), pg = UnsafeRawPointer(g)
        let m = SIMD8<Float>(repeating: mean), k = SIMD8<Float>(repeating: inv)
        var a = SIMD8<Float>.zero, b = SIMD8<Float>.zero
        var ta = 0.0, tb = 0.0, i = 0
        while i + 8 <= count {
            let gv = pg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let xhat = (px.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m) * k
            a += gv
            b.addProduct(gv, xhat)
            i += 8
            if i & 4095 == 0 { ta += Double(a.sum()); tb += Double(b.sum()); a = .zero; b = .zero }
        }
        ta += Double(a.sum()); tb += Double(b.sum())
        while i < count {
            ta += Double(g[i]); tb += Double(g[i] * ((x[i] - mean) * inv)); i += 1
        }
        return (ta, tb)
    }

    static func inputGradient(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, mean: Float,
                              inverseDeviation inv: Float, scale: Float, meanDy: Float, meanDyXhat: Float,
                              into dx: UnsafeMutablePointer<Float>, count: Int) {
        let px = UnsafeRawPointer(x), pg = UnsafeRawPointer(g), pd = UnsafeMutableRawPointer(dx)
        let m = SIMD8<Float>(repeating: mean), k = SIMD8<Float>(repeating: inv)
        let s = SIMD8<Float>(repeating: scale), md = SIMD8<Float>(repeating: meanDy)
        let mdx = SIMD8<Float>(repeating: meanDyXhat)
        var i = 0
        while i + 8 <= count {
            let gv = pg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let xhat = (px.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - m) * k
            pd.storeBytes(of: s * (gv - md - xhat * mdx), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dx[i] = scale * (g[i] - meanDy - (x[i] - mean) * inv * meanDyXhat); i += 1 }
    }
}
