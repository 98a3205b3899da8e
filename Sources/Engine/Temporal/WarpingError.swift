/// Temporal consistency of a styled film as Lai et al. 2018 measure it ("Learning Blind Video
/// Temporal Consistency", eq. 8): for each frame t > 0, the styled frame O_{t-1} is carried onto
/// frame t's grid with the flow of the *input* frames, and compared with O_t where that flow is
/// reliable (non-occluded):
///
///     E(t) = sum_i M_i * ||O_t(i) - warp(O_{t-1})(i)||^2 / sum_i M_i,
///
/// colours in 0...1 and the squared norm summed over R, G, B. M is `FrameMotion.reliability`
/// (forward-backward check and motion boundaries, Ruder et al. 2016). A film whose pattern swims
/// or flickers scores high; one that moves with the content scores near the input's own error.
public enum WarpingError {
    /// E(t) for styled frames `previous` (t-1) and `current` (t), three-channel images in
    /// 0...255, with the motion of the input between them. Returns 0 when no pixel is reliable.
    public static func between(previous: PlanarImage, current: PlanarImage, motion: FrameMotion) -> Double {
        precondition(previous.channels == 3 && current.channels == 3, "warping error needs RGB frames")
        precondition(current.width == motion.width && current.height == motion.height && previous.width == current.width
                     && previous.height == current.height, "warping error: frame and flow sizes differ")
        let carried = motion.carry(previous)
        let n = current.planeSize
        var weighted = 0.0, total = 0.0
        let scale = 1.0 / (255.0 * 255.0)
        for i in 0..<n {
            let m = Double(motion.reliability.data[i])
            guard m > 0 else { continue }
            var s = 0.0
            for c in 0..<3 {
                let d = Double(current.data[c * n + i] - carried.data[c * n + i])
                s += d * d
            }
            weighted += m * s * scale
            total += m
        }
        return total > 0 ? weighted / total : 0
    }
}
