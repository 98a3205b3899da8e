/// Content loss: squared distance between the features of the image and of the content photo at
/// one layer (Gatys et al. 2016, eq. 1), scaled as `LossNormalization` says.
public enum ContentLoss {
    /// The loss, and its gradient with respect to `features` written to `gradient` (same count).
    public static func evaluate(features: UnsafeBufferPointer<Float>, target: UnsafeBufferPointer<Float>,
                                normalization: LossNormalization,
                                gradient: UnsafeMutableBufferPointer<Float>) -> Double {
        precondition(features.count == target.count && gradient.count == features.count,
                     "ContentLoss: features \(features.count), target \(target.count), gradient \(gradient.count)")
        let n = features.count
        // meanSquared: L = sum(d^2)/n, dL/dF = 2d/n; gatys: L = sum(d^2)/2, dL/dF = d.
        let (lossScale, gradScale): (Double, Float) = normalization == .meanSquared
            ? (1 / Double(n), 2 / Float(n)) : (0.5, 1)
        var sum = 0.0
        for i in 0..<n {
            let d = features[i] - target[i]
            sum += Double(d * d)
            gradient[i] = gradScale * d
        }
        return sum * lossScale
    }

    public static func evaluate(features: [Float], target: [Float], normalization: LossNormalization) -> (loss: Double, gradient: [Float]) {
        var g = [Float](repeating: 0, count: features.count)
        let loss = features.withUnsafeBufferPointer { f in target.withUnsafeBufferPointer { t in
            g.withUnsafeMutableBufferPointer { evaluate(features: f, target: t, normalization: normalization, gradient: $0) }
        } }
        return (loss, g)
    }
}
