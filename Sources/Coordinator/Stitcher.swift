/// Blends the two renders of a frame inside an overlap: the earlier chunk rendered it as one of
/// its own frames, the later chunk as warm-up before its first own frame.
///
/// For now this is a linear ramp toward the later chunk's render, reaching it fully at the
/// later chunk's first own frame, so the hand-over has no step. It is the stitcher's place, not
/// its final form: the occlusion-masked temporal stitch of DESIGN.md (carry the stitched previous
/// frame forward with the flow and mix it per pixel with the later render, weighted by the
/// occlusion mask and this ramp) is a later issue. Where both renders agree (method `copy`)
/// the result is exactly that frame.
public enum Stitcher {
    /// The weight of the later chunk's render at `position` (0-based) of an overlap of
    /// `overlapLength` frames: (position + 1) / (overlapLength + 1), rising toward 1.
    public static func laterWeight(position: Int, overlapLength: Int) -> Double {
        precondition(overlapLength > 0 && (0..<overlapLength).contains(position))
        return Double(position + 1) / Double(overlapLength + 1)
    }

    /// The blended frame: earlier + (later - earlier) * weight, rounded to nearest, per byte.
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
}
