/// The motion between two consecutive frames t-1 and t, in the form every temporal term needs:
/// the flow that carries frame t-1 (or anything aligned with it: its stylised output, a stitched
/// frame) onto t's grid, and where that carried frame can be trusted.
///
/// The renderer's warm start and temporal loss (Ruder et al. 2016), the coordinator's seam
/// stitching and the warping error (Lai et al. 2018) all use the same three things, computed
/// once here from the *input* frames, so the three agree on what "consistent" means.
public struct FrameMotion: Sendable {
    /// From frame t to frame t-1, on t's grid: `Warp.backward(x_{t-1}, by: backward)` is x_{t-1} seen at t.
    public let backward: FlowField
    /// From frame t-1 to frame t (checks `backward` and finds disocclusions).
    public let forward: FlowField
    /// Ruder's mask c on t's grid: 1 where the carried frame is reliable, 0 at disocclusions,
    /// motion boundaries and where the carried pixel comes from outside the frame.
    public let reliability: PlanarImage

    public init(backward: FlowField, forward: FlowField) {
        self.backward = backward
        self.forward = forward
        reliability = OcclusionMask.reliability(of: backward, reverse: forward)
    }

    /// Both flows between `previous` (t-1) and `current` (t), input frames with values 0...255.
    public init(previous: PlanarImage, current: PlanarImage, flow: DISFlow = DISFlow()) throws(FlowError) {
        let b = try flow.flow(from: current, to: previous)
        let f = try flow.flow(from: previous, to: current)
        self.init(backward: b, forward: f)
    }

    public var width: Int { backward.width }
    public var height: Int { backward.height }

    /// `image` (aligned with frame t-1, any channel count) carried onto frame t's grid.
    public func carry(_ image: PlanarImage) -> PlanarImage {
        Warp.backward(image, by: backward)
    }

    /// The fraction of pixels whose carried value is reliable.
    public var reliableFraction: Double {
        guard reliability.planeSize > 0 else { return 0 }
        return Double(reliability.data.reduce(0, +)) / Double(reliability.planeSize)
    }
}
