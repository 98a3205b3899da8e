/// A penalty on the network's last values before tanh (`ReCoNet.mappingInput`) beyond
/// `threshold`: the mean over elements of max(0, |y| - threshold)^2.
///
/// The output is 127.5 (1 + tanh(y)), whose slope at |y| = 2.5 is already 1/50 of its slope at 0
/// and falls by e^2 per unit beyond. A pixel pushed far into tanh's flat end (black or white)
/// gets almost no gradient from any loss on the output, so nothing pulls it back: a network
/// fine-tuned toward a new painting from another's weights left up to 6 % of a frame as black
/// or single-colour, textureless blots (`vst train --weights-from`, docs/training.md). This term acts on y itself,
/// where the gradient does not vanish, and is zero for every pixel inside (about 1.7...253.3).
public enum ReCoNetSaturationLoss {
    /// |y| above this is penalised: outputs below ~1.7 or above ~253.3 of 255.
    public static let threshold: Float = 2.5

    /// The penalty of `y` and its gradient with respect to `y`.
    public static func evaluate(_ y: Tensor) -> (loss: Double, gradient: Tensor) {
        var gradient = Tensor(shape: y.shape)
        guard y.count > 0 else { return (0, gradient) }
        let n = Float(y.count)
        var sum = 0.0
        y.withUnsafeBufferPointer { yp in gradient.withUnsafeMutableBufferPointer { gp in
            for i in 0..<yp.count {
                let excess = abs(yp[i]) - threshold
                guard excess > 0 else { continue }
                sum += Double(excess * excess)
                gp[i] = (yp[i] > 0 ? 2 : -2) * excess / n
            }
        } }
        return (sum / Double(y.count), gradient)
    }
}
