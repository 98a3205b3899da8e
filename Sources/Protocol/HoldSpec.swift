/// The keyframe hand-over's part of a chunk's TASK (`Handover.keyframe`, every chunk but the
/// last): the chunk's last `frames` frames are held toward the next chunk's keyframe, that
/// keyframe's render carried back onto each of them by the flow, more strongly the nearer the
/// frame is to it, so that the chain arrives where the next chain starts.
///
/// The TASK's range: `keyframe` is `end`, the next chunk's first frame, which this chunk does
/// not render. Its input frame is sent after the chunk's own input frames (so `frameCount` is
/// one more than the range needs), and its render is the TASK's one attached render.
public struct HoldSpec: Codable, Sendable, Equatable {
    /// Absolute index of the next chunk's keyframe: the TASK's `end`.
    public var keyframe: Int
    /// How many of the chunk's last frames are held toward it (`submit --overlap`).
    public var frames: Int

    public init(keyframe: Int, frames: Int) {
        self.keyframe = keyframe
        self.frames = frames
    }

    /// The fraction of the remaining way to the keyframe that frame `frame` moves: 1/d for a held
    /// frame d frames before the keyframe (1 at the frame just before it), 0 for a frame not held.
    /// Each held frame starts from the one before it, already moved, so equal steps of what is left
    /// spread the difference between the two chains evenly over the held frames.
    public func fraction(at frame: Int) -> Float {
        let distance = keyframe - frame
        guard frames > 0, distance >= 1, distance <= frames else { return 0 }
        return 1 / Float(distance)
    }

    /// Checks the hold against its TASK's range.
    func validate(in spec: TaskSpec) throws(DecodeError) {
        guard spec.segment == nil, spec.seam == nil, frames >= 1, keyframe == spec.end else {
            throw .badPayload("hold toward keyframe \(keyframe) over \(frames) frames does not fit task range \(spec.ownStart)..<\(spec.end)")
        }
    }
}
