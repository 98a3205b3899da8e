/// ReCoNet's two temporal losses (Gao et al. 2018, eqs. 4-5), each normalised per element (mean
/// over channels and pixels, masked-out pixels counting as zero) so their weights mean the same
/// at any frame size.
///
/// - Output loss: with W the backward warp by the pair's flow, M the mask, O the outputs and I the
///   inputs scaled to 0...1, L = mean over c, p of M (O_t - W(O_{t-1}) - Y(I_t - W(I_{t-1})))^2,
///   where Y(.) = 0.2126 R + 0.7152 G + 0.0722 B: the output may change where the input's
///   brightness changed (a light turning on), and nowhere else.
/// - Feature loss: L = mean over c, p of M' (F_t - W'(F_{t-1}))^2 on the encoder's feature maps,
///   with flow and mask resized to the feature grid (W', M').
///
/// Both return the gradient with respect to each frame's tensor, the previous frame's through the
/// warp's transpose.
public enum ReCoNetTemporalLoss {
    /// Relative luminance weights (ITU-R BT.709).
    public static let luminance: (Float, Float, Float) = (0.2126, 0.7152, 0.0722)

    /// The output temporal loss of outputs and inputs (RGB 0...255, `[1, 3, h, w]` each).
    public static func output(previous: Tensor, current: Tensor, previousInput: Tensor, currentInput: Tensor,
                              flow: FlowField, mask: [Float]) -> (loss: Double, previousGradient: Tensor, currentGradient: Tensor) {
        let (h, w) = (current.shape[2], current.shape[3])
        precondition(previous.shape == current.shape && previousInput.shape == current.shape && currentInput.shape == current.shape
                     && current.shape[1] == 3 && flow.width == w && flow.height == h && mask.count == w * h,
                     "ReCoNetTemporalLoss.output: shapes disagree")
        let n = w * h
        let warpedOutput = Warp.backward(planar(previous), by: flow).data
        let warpedInput = Warp.backward(planar(previousInput), by: flow).data
        let o = current.scalars, i = currentInput.scalars
        let count = Double(3 * n)
        let scale: Float = 1 / 255
        var gradCurrent = [Float](repeating: 0, count: 3 * n), gradWarped = [Float](repeating: 0, count: 3 * n)
        var sum = 0.0
        let (lr, lg, lb) = luminance
        for p in 0..<n where mask[p] > 0 {
            let dy = scale * (lr * (i[p] - warpedInput[p]) + lg * (i[n + p] - warpedInput[n + p]) + lb * (i[2 * n + p] - warpedInput[2 * n + p]))
            for c in 0..<3 {
                let q = c * n + p
                let d = scale * (o[q] - warpedOutput[q]) - dy
                sum += Double(mask[p] * d * d)
                // d/dO_t = 2 M d / count * scale; d/dW(O_{t-1}) is its negative.
                let g = 2 * mask[p] * d * scale / Float(count)
                gradCurrent[q] = g
                gradWarped[q] = -g
            }
        }
        let gradPrevious = Warp.backwardGradient(PlanarImage(width: w, height: h, channels: 3, data: gradWarped), by: flow).data
        return (sum / count, Tensor(shape: current.shape, scalars: gradPrevious), Tensor(shape: current.shape, scalars: gradCurrent))
    }

    /// The feature temporal loss of two encoder feature maps (`[1, c, fh, fw]` each); `flow` and
    /// `mask` are at frame resolution and are resized to the feature grid here.
    public static func feature(previous: Tensor, current: Tensor, flow: FlowField,
                               mask: [Float]) -> (loss: Double, previousGradient: Tensor, currentGradient: Tensor) {
        precondition(previous.shape == current.shape && current.shape.count == 4 && current.shape[0] == 1,
                     "ReCoNetTemporalLoss.feature: shapes disagree")
        let (c, h, w) = (current.shape[1], current.shape[2], current.shape[3])
        let n = w * h
        let smallFlow = flow.resized(width: w, height: h)
        let smallMask = PlanarImage(width: flow.width, height: flow.height, channels: 1, data: mask).resized(width: w, height: h).data
        let warped = Warp.backward(planar(previous), by: smallFlow).data
        let f = current.scalars
        let count = Double(c * n)
        var gradCurrent = [Float](repeating: 0, count: c * n), gradWarped = [Float](repeating: 0, count: c * n)
        var sum = 0.0
        for ch in 0..<c { for p in 0..<n where smallMask[p] > 0 {
            let q = ch * n + p
            let d = f[q] - warped[q]
            sum += Double(smallMask[p] * d * d)
            let g = 2 * smallMask[p] * d / Float(count)
            gradCurrent[q] = g
            gradWarped[q] = -g
        } }
        let gradPrevious = Warp.backwardGradient(PlanarImage(width: w, height: h, channels: c, data: gradWarped), by: smallFlow).data
        return (sum / count, Tensor(shape: current.shape, scalars: gradPrevious), Tensor(shape: current.shape, scalars: gradCurrent))
    }

    static func planar(_ t: Tensor) -> PlanarImage {
        PlanarImage(width: t.shape[3], height: t.shape[2], channels: t.shape[1], data: t.scalars)
    }
}
