import Foundation

/// Adam (Kingma & Ba 2015) over a network's parameter tensors, visited by `updateParameters` in
/// its fixed order; the moments are kept per tensor by position so a checkpoint can store them
/// and a resumed run continues exactly where it stopped.
public struct NetworkAdam: Sendable {
    public var learningRate: Double
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    /// Steps taken over the whole run.
    public var step = 0
    /// Steps since the moments were last zero: what drives the bias correction. It equals `step`
    /// unless the run went on from a model without optimiser state (`vst train --from`), whose
    /// fresh moments must be corrected as a first step's are, or the first updates would be
    /// about 3x the learning rate.
    public var momentSteps = 0
    /// First and second moments, one tensor per parameter tensor (empty until the first step).
    public var firstMoments: [Tensor] = []
    public var secondMoments: [Tensor] = []

    public init(learningRate: Double) { self.learningRate = learningRate }

    /// One update of every parameter of `network` from its accumulated gradients.
    public mutating func update(_ network: ReCoNet) {
        step += 1
        momentSteps += 1
        let c1 = 1 - Foundation.pow(beta1, Double(momentSteps)), c2 = 1 - Foundation.pow(beta2, Double(momentSteps))
        let rate = Float(learningRate * c2.squareRoot() / c1), eps = Float(epsilon * c2.squareRoot())
        let b1 = Float(beta1), b2 = Float(beta2)
        var k = 0
        let fresh = firstMoments.isEmpty
        network.updateParameters { value, gradient in
            if fresh {
                firstMoments.append(value.zerosLike())
                secondMoments.append(value.zerosLike())
            }
            firstMoments[k].withUnsafeMutableBufferPointer { m in secondMoments[k].withUnsafeMutableBufferPointer { v in
                value.withUnsafeMutableBufferPointer { x in gradient.withUnsafeBufferPointer { g in
                    for i in 0..<x.count {
                        m[i] = b1 * m[i] + (1 - b1) * g[i]
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                        x[i] -= rate * m[i] / (v[i].squareRoot() + eps)
                    }
                } }
            } }
            k += 1
        }
    }
}
