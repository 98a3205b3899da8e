/// The short-term temporal loss of Ruder, Dosovitskiy, Brox 2016 (eq. 7): the image is pulled
/// toward the previous output carried onto its grid, only where that carried frame is reliable,
///
///     L = weight / D * sum_i c_i * (x_i - w_i)^2,   D = channels * height * width,
///
/// with x the image, w the carried previous output and c the per-pixel mask (shared by every
/// channel). Values are in the image's own units (RGB 0...255 for `GatysRenderer`'s hook), so a
/// weight means the same at every frame size. Plugs into `GatysRenderer.render(extraLoss:)`.
public struct TemporalLoss: Sendable {
    /// The carried previous output, [1, C, h, w].
    public let target: Tensor
    /// Per-pixel weight c, one plane of h * w values.
    public let mask: [Float]
    public let weight: Double

    public init(target: Tensor, mask: [Float], weight: Double) {
        precondition(target.shape.count == 4 && target.shape[0] == 1, "temporal loss target must be [1, C, h, w]")
        precondition(mask.count == target.shape[2] * target.shape[3], "temporal loss mask must have one value per pixel")
        self.target = target
        self.mask = mask
        self.weight = weight
    }

    /// The weighted loss at `image`; adds its gradient into `gradient` (same shape as the target).
    public func evaluate(_ image: Tensor, gradient: inout Tensor) -> Double {
        precondition(image.shape == target.shape && gradient.shape == target.shape, "temporal loss: shapes differ")
        let plane = mask.count, channels = target.shape[1]
        let d = Double(plane * channels)
        let scale = Float(2 * weight / d)
        var sum = 0.0
        image.withUnsafeBufferPointer { x in target.withUnsafeBufferPointer { w in mask.withUnsafeBufferPointer { c in
            gradient.withUnsafeMutableBufferPointer { g in
                for ch in 0..<channels {
                    let base = ch * plane
                    var partial: Float = 0
                    for i in 0..<plane {
                        let diff = x[base + i] - w[base + i]
                        let cd = c[i] * diff
                        partial += cd * diff
                        g[base + i] += scale * cd
                    }
                    sum += Double(partial)
                }
            }
        } } }
        return weight * sum / d
    }
}
