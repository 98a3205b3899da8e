/// max(x, 0), element by element.
///
/// It caches its output rather than its input: the output alone decides where the gradient passes
/// (y > 0), and the output is the tensor the next layer keeps anyway, so no extra memory is held.
public final class ReLU: Layer {
    var output: Tensor?

    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        var y = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            let src = xp.baseAddress!, dst = yp.baseAddress!
            Parallel.forEachChunk(x.count / 8 + 1, elementsPerItem: 8) { chunk in
                let lo = chunk.lowerBound * 8, hi = min(x.count, chunk.upperBound * 8)
                ReLU.rectify(src + lo, into: dst + lo, count: max(0, hi - lo))
            }
        } }
        output = y
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let y = output else { preconditionFailure("ReLU: backward before forward") }
        precondition(gradOutput.shape == y.shape, "ReLU: gradient shape \(gradOutput.shape) != output \(y.shape)")
        var dx = Tensor(uninitializedShape: y.shape)
        y.withUnsafeBufferPointer { yp in gradOutput.withUnsafeBufferPointer { gp in dx.withUnsafeMutableBufferPointer { dp in
            let ys = yp.baseAddress!, gs = gp.baseAddress!, ds = dp.baseAddress!
            Parallel.forEachChunk(y.count / 8 + 1, elementsPerItem: 8) { chunk in
                let lo = chunk.lowerBound * 8, hi = min(y.count, chunk.upperBound * 8)
                ReLU.mask(gs + lo, by: ys + lo, into: ds + lo, count: max(0, hi - lo))
            }
        } } }
        return dx
    }

    @inline(__always)
    static func rectify(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let v = s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: v.replacing(with: zero, where: v .< zero), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] = src[i] > 0 ? src[i] : 0; i += 1 }
    }

    /// dst = grad where y > 0, else 0.
    @inline(__always)
    static func mask(_ grad: UnsafePointer<Float>, by y: UnsafePointer<Float>,
                     into dst: UnsafeMutablePointer<Float>, count: Int) {
        let g = UnsafeRawPointer(grad), ys = UnsafeRawPointer(y), d = UnsafeMutableRawPointer(dst)
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let gv = g.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let yv = ys.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: zero.replacing(with: gv, where: yv .> zero), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] = y[i] > 0 ? grad[i] : 0; i += 1 }
    }
}
