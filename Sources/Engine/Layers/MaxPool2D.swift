/// 2x2 max pooling with stride 2 (VGG's), over NCHW tensors. An odd last row or column is dropped,
/// as in PyTorch and Caffe's VGG.
///
/// It remembers which of the four inputs won in each window (one byte per output), which is all
/// `backward` needs to route the gradient.
public final class MaxPool2D: Layer {
    var winners: [UInt8] = []
    var inputShape: [Int]?

    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4, "MaxPool2D: expected an NCHW input, got \(x.shape)")
        let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (h / 2, w / 2)
        var y = Tensor(uninitializedShape: [x.shape[0], x.shape[1], oh, ow])
        if winners.count != planes * oh * ow { winners = [UInt8](repeating: 0, count: planes * oh * ow) }
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in winners.withUnsafeMutableBufferPointer { wp in
            let src = xp.baseAddress!, dst = yp.baseAddress!, win = wp.baseAddress!
            Parallel.forEachChunk(planes * oh, elementsPerItem: 4 * ow) { rows in
                for r in rows {
                    let p = r / oh, oy = r % oh
                    let top = src + p * h * w + 2 * oy * w, bottom = top + w
                    let out = dst + r * ow, choice = win + r * ow
                    for ox in 0..<ow {
                        var best = top[2 * ox], pick: UInt8 = 0
                        if top[2 * ox + 1] > best { best = top[2 * ox + 1]; pick = 1 }
                        if bottom[2 * ox] > best { best = bottom[2 * ox]; pick = 2 }
                        if bottom[2 * ox + 1] > best { best = bottom[2 * ox + 1]; pick = 3 }
                        out[ox] = best; choice[ox] = pick
                    }
                }
            }
        } } }
        inputShape = x.shape
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let shape = inputShape else { preconditionFailure("MaxPool2D: backward before forward") }
        let (planes, h, w) = (shape[0] * shape[1], shape[2], shape[3])
        let (oh, ow) = (h / 2, w / 2)
        precondition(gradOutput.shape == [shape[0], shape[1], oh, ow],
                     "MaxPool2D: gradient shape \(gradOutput.shape) does not match output")
        var dx = Tensor(shape: shape)
        gradOutput.withUnsafeBufferPointer { gp in dx.withUnsafeMutableBufferPointer { dp in winners.withUnsafeBufferPointer { wp in
            let g = gp.baseAddress!, dst = dp.baseAddress!, win = wp.baseAddress!
            Parallel.forEachChunk(planes * oh, elementsPerItem: 4 * ow) { rows in
                for r in rows {
                    let p = r / oh, oy = r % oh
                    let top = dst + p * h * w + 2 * oy * w
                    let grad = g + r * ow, choice = win + r * ow
                    for ox in 0..<ow {
                        let c = Int(choice[ox])
                        top[(c >> 1) * w + 2 * ox + (c & 1)] = grad[ox]
                    }
                }
            }
        } } }
        return dx
    }
}
