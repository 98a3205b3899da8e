/// Total variation (squared, anisotropic) of an image in CHW layout: the mean over channels and
/// pixels of (x[y][x+1] - x[y][x])^2 + (x[y+1][x] - x[y][x])^2, differences past the last row or
/// column counted as zero. It penalises the high-frequency noise that pure feature losses leave.
public enum TotalVariationLoss {
    /// The loss; its gradient times `weight` is added to `gradient`.
    public static func evaluate(image: UnsafeBufferPointer<Float>, channels: Int, height: Int, width: Int,
                                weight: Float, gradient: UnsafeMutableBufferPointer<Float>) -> Double {
        precondition(image.count == channels * height * width && gradient.count == image.count,
                     "TotalVariationLoss: \(image.count) values are not \(channels)x\(height)x\(width)")
        let n = Double(image.count)
        let g = weight * Float(2 / n)
        var sum = 0.0
        for c in 0..<channels {
            let base = c * height * width
            for y in 0..<height {
                for x in 0..<width {
                    let i = base + y * width + x
                    let v = image[i]
                    if x + 1 < width {
                        let d = image[i + 1] - v
                        sum += Double(d * d)
                        gradient[i + 1] += g * d
                        gradient[i] -= g * d
                    }
                    if y + 1 < height {
                        let d = image[i + width] - v
                        sum += Double(d * d)
                        gradient[i + width] += g * d
                        gradient[i] -= g * d
                    }
                }
            }
        }
        return sum / n
    }

    public static func evaluate(image: [Float], channels: Int, height: Int, width: Int) -> (loss: Double, gradient: [Float]) {
        var g = [Float](repeating: 0, count: image.count)
        let loss = image.withUnsafeBufferPointer { i in g.withUnsafeMutableBufferPointer {
            evaluate(image: i, channels: channels, height: height, width: width, weight: 1, gradient: $0)
        } }
        return (loss, g)
    }
}
