/// Nearest-neighbour upsampling by an integer factor: each pixel becomes a factor x factor block.
/// ReCoNet's decoder upsamples this way before a convolution instead of using a transposed
/// convolution, which leaves checkerboard artefacts (Odena et al. 2016).
public final class Upsample: Layer {
    public let factor: Int
    var inputShape: [Int]?

    public init(factor: Int = 2) {
        precondition(factor >= 1, "Upsample: factor must be at least 1")
        self.factor = factor
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4, "Upsample: expected an NCHW input, got \(x.shape)")
        let (planes, h, w, s) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3], factor)
        var y = Tensor(uninitializedShape: [x.shape[0], x.shape[1], h * s, w * s])
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            Parallel.forEachChunk(planes * h, elementsPerItem: w * s * s) { rows in
                for r in rows {
                    let src = xp.baseAddress! + r * w
                    let first = yp.baseAddress! + r * s * s * w     // output row r*s of the same plane
                    for ix in 0..<w { for k in 0..<s { first[ix * s + k] = src[ix] } }
                    for k in 1..<max(1, s) { (first + k * w * s).update(from: first, count: w * s) }
                }
            }
        } }
        inputShape = x.shape
        return y
    }

    /// Each input pixel's gradient is the sum over the block it was copied to.
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let shape = inputShape else { preconditionFailure("Upsample: backward before forward") }
        let (planes, h, w, s) = (shape[0] * shape[1], shape[2], shape[3], factor)
        precondition(gradOutput.shape == [shape[0], shape[1], h * s, w * s],
                     "Upsample: gradient shape \(gradOutput.shape) does not match output")
        var dx = Tensor(uninitializedShape: shape)
        gradOutput.withUnsafeBufferPointer { gp in dx.withUnsafeMutableBufferPointer { dp in
            Parallel.forEachChunk(planes * h, elementsPerItem: w * s * s) { rows in
                for r in rows {
                    let dst = dp.baseAddress! + r * w
                    let g = gp.baseAddress! + r * s * s * w
                    for ix in 0..<w {
                        var acc: Float = 0
                        for ky in 0..<s { for kx in 0..<s { acc += g[ky * w * s + ix * s + kx] } }
                        dst[ix] = acc
                    }
                }
            }
        } }
        return dx
    }
}
