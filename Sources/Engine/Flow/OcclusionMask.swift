/// Per-pixel reliability of a flow for the temporal losses (Ruder, Dosovitskiy, Brox 2016, sec. 3.2).
///
/// Frame t is styled while the previous styled frame is carried onto t's grid with the backward
/// flow `b` (t -> t-1). Where t shows something t-1 did not (disocclusion) or where motion changes
/// abruptly (motion boundaries, where flow is least accurate), that carried frame is wrong, so
/// those pixels get weight 0 and every other pixel weight 1. With `f` the forward flow
/// (t-1 -> t) and `fw(x) = f(x + b(x))` the forward flow carried to t:
/// - disoccluded: |fw + b|^2 > 0.01 (|fw|^2 + |b|^2) + 0.5 (the two flows do not undo each other);
/// - motion boundary: |grad b_u|^2 + |grad b_v|^2 > 0.01 |b|^2 + 0.002;
/// - and, beyond the paper, pixels whose `x + b(x)` leaves the frame (content entering the view).
public enum OcclusionMask {
    /// 1 where the forward-backward check passes, 0 where `x` is disoccluded or looks outside the frame.
    public static func consistency(backward b: FlowField, forward f: FlowField) -> PlanarImage {
        precondition(b.width == f.width && b.height == f.height, "mask: flow sizes differ")
        let n = b.pixelCount
        let carried = Warp.backward(PlanarImage(width: f.width, height: f.height, channels: 2, data: f.u + f.v), by: b)
        let inside = Warp.insideMask(b)
        var out = PlanarImage(width: b.width, height: b.height, channels: 1)
        for i in 0..<n {
            let fu = carried.data[i], fv = carried.data[n + i], bu = b.u[i], bv = b.v[i]
            let su = fu + bu, sv = fv + bv
            let bad = su * su + sv * sv > 0.01 * (fu * fu + fv * fv + bu * bu + bv * bv) + 0.5
            out.data[i] = bad || inside[i] == 0 ? 0 : 1
        }
        return out
    }

    /// 1 away from motion boundaries of `flow`, 0 on them (central differences of both components).
    public static func motionBoundaries(_ flow: FlowField) -> PlanarImage {
        let w = flow.width, h = flow.height, n = flow.pixelCount
        var out = PlanarImage(width: w, height: h, channels: 1)
        guard n > 0 else { return out }
        let ux = FloatBuffer(count: n), uy = FloatBuffer(count: n), vx = FloatBuffer(count: n), vy = FloatBuffer(count: n)
        flow.u.withUnsafeBufferPointer { u in flow.v.withUnsafeBufferPointer { v in
            ImageGradient.x(u.baseAddress!, width: w, height: h, into: ux.pointer)
            ImageGradient.y(u.baseAddress!, width: w, height: h, into: uy.pointer)
            ImageGradient.x(v.baseAddress!, width: w, height: h, into: vx.pointer)
            ImageGradient.y(v.baseAddress!, width: w, height: h, into: vy.pointer)
        } }
        for i in 0..<n {
            let g = ux.pointer[i] * ux.pointer[i] + uy.pointer[i] * uy.pointer[i] + vx.pointer[i] * vx.pointer[i] + vy.pointer[i] * vy.pointer[i]
            out.data[i] = g > 0.01 * (flow.u[i] * flow.u[i] + flow.v[i] * flow.v[i]) + 0.002 ? 0 : 1
        }
        return out
    }

    /// The mask c of the temporal loss on frame t: consistency and motion boundaries together.
    /// - Parameters:
    ///   - backward: flow from frame t to frame t-1 (on t's grid; what warps t-1 onto t).
    ///   - forward: flow from frame t-1 to frame t.
    public static func reliability(backward: FlowField, forward: FlowField) -> PlanarImage {
        var mask = consistency(backward: backward, forward: forward)
        let boundaries = motionBoundaries(backward)
        for i in 0..<mask.data.count { mask.data[i] = min(mask.data[i], boundaries.data[i]) }
        return mask
    }
}
