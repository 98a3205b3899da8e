/// How a coherent job's chains hand over from one chunk to the next (`submit --handover`).
///
/// - `stitch`: each chunk (but the first) also renders `overlap` frames before its own; the
///   coordinator stitches the two renders of each overlap frame along the motion, and seam
///   tasks may re-optimise them (`SeamSpec`).
/// - `keyframe`: every chunk's first frame is rendered first, on its own (a keyframe task, all
///   of them independent and parallel); each chunk's chain starts from its keyframe, and its
///   last `overlap` frames are held toward the next chunk's keyframe carried back by the flow
///   (`HoldSpec`), so the two chains meet at the keyframe. No frame is rendered twice.
///
/// Travels as its name; a request without one (an older tool's) is `stitch`.
public enum Handover: String, Codable, Sendable, CaseIterable {
    case stitch
    case keyframe
}
