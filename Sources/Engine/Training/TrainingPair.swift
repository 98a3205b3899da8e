/// Two consecutive frames and the motion between them, as ReCoNet's two-frame training uses them.
///
/// `flow` is the backward flow, from `current` to `previous`: `Warp.backward(previous, by: flow)`
/// carries the previous frame (or its stylisation, or its features) onto the current frame's grid.
/// `mask` is 1 where that warp is valid (the point was visible in the previous frame) and 0 where
/// it is not (disoccluded, or outside the previous frame); soft values are allowed.
public struct TrainingPair: Sendable {
    /// Frame t-1, RGB 0...255, `[1, 3, h, w]`.
    public var previous: Tensor
    /// Frame t, RGB 0...255, `[1, 3, h, w]`.
    public var current: Tensor
    public var flow: FlowField
    /// `h * w` values in 0...1.
    public var mask: [Float]

    public init(previous: Tensor, current: Tensor, flow: FlowField, mask: [Float]) {
        precondition(previous.shape.count == 4 && previous.shape[0] == 1 && previous.shape[1] == 3 && previous.shape == current.shape,
                     "TrainingPair: frames must both be [1, 3, h, w], got \(previous.shape) and \(current.shape)")
        precondition(flow.width == previous.shape[3] && flow.height == previous.shape[2] && mask.count == flow.pixelCount,
                     "TrainingPair: flow and mask must match the frames")
        self.previous = previous; self.current = current; self.flow = flow; self.mask = mask
    }

    /// Both frames as one batch `[2, 3, h, w]`, previous first.
    public var batch: Tensor {
        var s = previous.scalars
        s += current.scalars
        return Tensor(shape: [2] + previous.shape.dropFirst(), scalars: s)
    }
}
