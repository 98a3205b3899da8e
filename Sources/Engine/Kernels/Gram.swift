/// Gram matrices of feature maps: for features F of shape (channels, pixels), row-major,
/// G = F F^T / pixels. Dividing by the pixel count makes a Gram matrix an average over positions,
/// so targets computed from a style image of one size compare with features of another size.
public enum Gram {
    /// Writes the channels x channels Gram matrix of `features` into `gram`.
    public static func compute(_ features: UnsafePointer<Float>, channels: Int, pixels: Int,
                               into gram: UnsafeMutablePointer<Float>) {
        GEMM.gram(n: channels, k: pixels, alpha: 1 / Float(pixels), a: features, lda: pixels, c: gram, ldc: channels)
    }

    public static func compute(_ features: [Float], channels: Int, pixels: Int) -> [Float] {
        precondition(features.count == channels * pixels, "Gram: \(features.count) values are not \(channels) x \(pixels)")
        var g = [Float](repeating: 0, count: channels * channels)
        features.withUnsafeBufferPointer { f in g.withUnsafeMutableBufferPointer { gp in
            compute(f.baseAddress!, channels: channels, pixels: pixels, into: gp.baseAddress!)
        } }
        return g
    }

    /// Given dL/dG for a *symmetric* dL/dG (true of every loss on a Gram matrix here), adds
    /// dL/dF = 2 (dL/dG) F / pixels, scaled by `scale`, to `gradient` (beta = 1) or overwrites it.
    public static func backward(gradGram: UnsafePointer<Float>, features: UnsafePointer<Float>,
                                channels: Int, pixels: Int, scale: Float = 1, accumulate: Bool,
                                into gradient: UnsafeMutablePointer<Float>) {
        GEMM.multiply(m: channels, n: pixels, k: channels, alpha: 2 * scale / Float(pixels),
                      a: gradGram, lda: channels, b: features, ldb: pixels,
                      beta: accumulate ? 1 : 0, c: gradient, ldc: pixels)
    }
}
