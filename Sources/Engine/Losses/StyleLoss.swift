/// Style loss of one layer: squared distance between the Gram matrix of the image's features and
/// a target Gram matrix (Gatys et al. 2016, eqs. 3-5), scaled as `LossNormalization` says.
///
/// With D = G - A (N x N): loss = k sum(D^2) with k = 1/N^2 (meanSquared) or 1/(4 N^2) (gatys),
/// dL/dG = 2 k D, and through G = F F^T / M, dL/dF = 4 k D F / M.
public enum StyleLoss {
    public static func scale(channels: Int, normalization: LossNormalization) -> Double {
        let n2 = Double(channels * channels)
        return normalization == .meanSquared ? 1 / n2 : 1 / (4 * n2)
    }

    /// The loss for features (channels x pixels) against `targetGram`; the gradient with respect
    /// to the features is multiplied by `weight` and added to `gradient` (when `accumulate`) or
    /// written to it. `scratch` holds channels^2 floats. Returns the unweighted loss.
    public static func evaluate(features: UnsafePointer<Float>, channels: Int, pixels: Int,
                                targetGram: UnsafePointer<Float>, normalization: LossNormalization,
                                weight: Float, accumulate: Bool,
                                gradient: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) -> Double {
        let c2 = channels * channels
        Gram.compute(features, channels: channels, pixels: pixels, into: scratch)
        let k = scale(channels: channels, normalization: normalization)
        var sum = 0.0
        for i in 0..<c2 {
            let d = scratch[i] - targetGram[i]
            sum += Double(d * d)
            scratch[i] = d  // D, reused as dL/dG up to the factor passed below
        }
        // dL/dG = 2k D; Gram.backward multiplies by 2/M.
        Gram.backward(gradGram: scratch, features: features, channels: channels, pixels: pixels,
                      scale: Float(2 * k) * weight, accumulate: accumulate, into: gradient)
        return sum * k
    }

    public static func evaluate(features: [Float], channels: Int, pixels: Int, targetGram: [Float],
                                normalization: LossNormalization) -> (loss: Double, gradient: [Float]) {
        var g = [Float](repeating: 0, count: features.count)
        var scratch = [Float](repeating: 0, count: channels * channels)
        let loss = features.withUnsafeBufferPointer { f in targetGram.withUnsafeBufferPointer { t in
            g.withUnsafeMutableBufferPointer { gp in scratch.withUnsafeMutableBufferPointer { s in
                evaluate(features: f.baseAddress!, channels: channels, pixels: pixels, targetGram: t.baseAddress!,
                         normalization: normalization, weight: 1, accumulate: false,
                         gradient: gp.baseAddress!, scratch: s.baseAddress!)
            } }
        } }
        return (loss, g)
    }
}
