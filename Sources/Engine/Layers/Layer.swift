/// A differentiable step of a network: `forward` computes and remembers what `backward` needs.
///
/// Layers are classes because they hold state across the two calls (cached input, workspaces,
/// parameter gradients). One layer instance serves one forward/backward pair at a time: call
/// `forward`, then at most one `backward` with the gradient of the loss with respect to its output.
/// Run two graphs concurrently with two sets of layers (they may share weights by copying the
/// `Tensor`s, which costs nothing until one side writes).
public protocol Layer: AnyObject {
    /// The output for `x`; caches what `backward` needs.
    func forward(_ x: Tensor) -> Tensor
    /// The gradient with respect to the last `forward`'s input, given the gradient with respect to
    /// its output. Parameter gradients are *accumulated* (added to); see `zeroGradients()`.
    func backward(_ gradOutput: Tensor) -> Tensor
    /// Resets accumulated parameter gradients to zero.
    func zeroGradients()
    /// Visits each trainable parameter with its accumulated gradient, in a fixed order, so that an
    /// optimizer can update it in place and keep per-parameter state by position.
    func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void)
}

extension Layer {
    public func zeroGradients() {}
    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {}
}
