/// Blends the two renders of a frame inside an overlap: the earlier chunk rendered it as one of
/// its own frames, the later chunk as warm-up before its first own frame. Two renders of one
/// frame differ in pattern (each chain started from its own first frame), so the hand-over must
/// be spread over the overlap, and it must move with the picture.
///
/// Occlusion-masked temporal stitching (DESIGN.md, "Chunks and seams"): walking the overlap in
/// time, the stitched previous frame is carried onto this frame by the input's flow and mixed,
/// per pixel, with the later chunk's render. Where the flow is reliable the carried frame keeps
/// the picture moving as it did; where it is not (disocclusions, motion boundaries, content
/// entering the view) the plain ramp between the two renders is used instead. The mix is chosen
/// so that the carried frame's share falls linearly, (overlap - position) / (overlap + 1), and
/// reaches zero at the later chunk's first own frame: the remaining difference between the
/// chains shrinks by equal steps, which is what keeps the per-frame warping error at the seam
/// smallest. Where both renders agree (method `copy`) the result is exactly that frame.
///
/// With a seam tail of T frames (`submit --seam-tail`) the hand-over goes on past the overlap
/// into the later chunk's first T own frames: the carried frame keeps a falling share there
/// too, so the difference between the chains is spread over overlap + T + 1 steps instead of
/// overlap + 1. A step's warping error goes with the square of its size, so spreading the same
/// difference over twice the steps quarters each one; no render is added (past the overlap
/// only the later chunk rendered). Pixels the flow cannot carry take the later render there.
public enum Stitcher {
    /// The weight of the later chunk's render at `position` (0-based) of an overlap of
    /// `overlapLength` frames: (position + 1) / (overlapLength + 1), rising toward 1.
    public static func laterWeight(position: Int, overlapLength: Int) -> Double {
        precondition(overlapLength > 0 && (0..<overlapLength).contains(position))
        return Double(position + 1) / Double(overlapLength + 1)
    }

    /// The share of the later render mixed into the carried frame at `position` of a hand-over
    /// spanning the overlap and `tail` more frames: 1 / (overlapLength + tail + 1 - position),
    /// so the carried frame's share of what the earlier chain left falls linearly to zero.
    public static func carryMix(position: Int, overlapLength: Int, tail: Int = 0) -> Double {
        precondition(overlapLength > 0 && tail >= 0 && (0..<overlapLength + tail).contains(position))
        return 1 / Double(overlapLength + tail + 1 - position)
    }

    /// The plain ramp: earlier + (later - earlier) * weight, rounded to nearest, per byte.
    /// Both renders are packed RGB of the same size.
    public static func blend(earlier: [UInt8], later: [UInt8], position: Int, overlapLength: Int) -> [UInt8] {
        precondition(earlier.count == later.count, "renders of one frame differ in size")
        let weight = laterWeight(position: position, overlapLength: overlapLength)
        // Fixed point: weight in 1/65536 steps keeps the loop in integers.
        let w = Int((weight * 65536).rounded())
        var out = [UInt8](repeating: 0, count: earlier.count)
        earlier.withUnsafeBufferPointer { a in
            later.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count {
                        let e = Int(a[i]), l = Int(b[i])
                        o[i] = UInt8(e + (((l - e) * w + 32768) >> 16))
                    }
                }
            }
        }
        return out
    }

    /// The temporal stitch of one overlap frame (packed RGB).
    /// - Parameters:
    ///   - carried: the stitched previous frame carried onto this frame's grid (planar RGB,
    ///     `FrameMotion.carry`), or nil at a frame with no stitched predecessor.
    ///   - reliability: per pixel, 1 where the carried frame can be trusted, 0 where not.
    ///   - tail: the seam tail (frames of the hand-over after the overlap).
    public static func stitch(earlier: [UInt8], later: [UInt8], carried: PlanarImage?, reliability: [Float],
                              position: Int, overlapLength: Int, tail: Int = 0) -> [UInt8] {
        let ramp = blend(earlier: earlier, later: later, position: position, overlapLength: overlapLength)
        guard let carried, earlier != later else { return ramp }
        return mixCarried(carried, into: ramp, later: later, reliability: reliability,
                          mix: Float(carryMix(position: position, overlapLength: overlapLength, tail: tail)))
    }

    /// A frame of the seam tail (`position` past the overlap, below overlapLength + tail): only
    /// the later chunk rendered it, and the carried frame's share goes on falling.
    public static func stitchTail(later: [UInt8], carried: PlanarImage, reliability: [Float], position: Int,
                                  overlapLength: Int, tail: Int) -> [UInt8] {
        precondition(position >= overlapLength, "a tail frame comes after the overlap")
        return mixCarried(carried, into: later, later: later, reliability: reliability,
                          mix: Float(carryMix(position: position, overlapLength: overlapLength, tail: tail)))
    }

    /// Where reliable, (1 - mix) x carried + mix x later; elsewhere `fallback`.
    private static func mixCarried(_ carried: PlanarImage, into fallback: [UInt8], later: [UInt8], reliability: [Float],
                                   mix: Float) -> [UInt8] {
        let n = carried.planeSize
        precondition(later.count == 3 * n && fallback.count == 3 * n && reliability.count == n, "stitch: sizes differ")
        var out = fallback
        for i in 0..<n {
            let m = reliability[i]
            guard m > 0 else { continue }
            for c in 0..<3 {
                let temporal = (1 - mix) * carried.data[c * n + i] + mix * Float(later[3 * i + c])
                let value = m * temporal + (1 - m) * Float(fallback[3 * i + c])
                out[3 * i + c] = UInt8(max(0, min(255, value.rounded())))
            }
        }
        return out
    }
}
