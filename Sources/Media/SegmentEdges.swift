/// Which frames of a segment meet a neighbouring segment in the joined film, so that
/// `VideoWriter` encodes them finer.
///
/// Segments are joined by copying their packets (`SegmentJoiner`), so each one starts with a
/// key frame. Inside one stream a P-frame is predicted from the frame before it and shares
/// its compression noise; a key frame after another segment's last frame brings noise of its
/// own, and the pair steps by both. Measured on issue 20's job (docs/benchmarks.md, "The
/// segments' edges"): two x264 segments at CRF 18 joined gave the pair across the join a warping
/// error of 0.0044 where one stream gave 0.0029 and lossless frames 0.0025; with both frames of
/// the pair at QP `crf - 2` it was 0.0032 (0.0031 at `crf - 4`). Only both together help: the
/// noise of each side adds. The price is bytes: on real footage in chunks of 32 frames at 640x360,
/// 14 % more than without (`submit --join-gain` trades it back; 0 turns it off).
public struct SegmentEdges: Sendable, Equatable {
    /// The segment's first frame follows another segment's last one.
    public var first: Bool
    /// The index (from 0, in writing order) of the segment's last frame when another segment
    /// follows it; nil for the film's last segment.
    public var last: Int?

    /// How many quantiser steps finer than `EncoderOptions.crf` the edge frames are encoded, at a
    /// constant QP `crf - gain` (x264's QP and CRF share a scale); 0 leaves them to the rate control.
    public var gain: Int

    /// The default `gain`: measured against 0 and 4 in docs/benchmarks.md ("The segments' edges"),
    /// where 2 took most of the step away for two thirds of 4's bytes.
    public static let defaultGain = 2
    /// The gains `submit --join-gain` accepts.
    public static let gains = 0...12

    /// A segment that meets nothing: encoded as one stream.
    public static let none = SegmentEdges(first: false, last: nil)

    public init(first: Bool, last: Int?, gain: Int = SegmentEdges.defaultGain) {
        precondition(last.map { $0 >= 0 } ?? true, "a segment's last frame index is not negative")
        self.first = first
        self.last = last
        self.gain = gain
    }

    /// The edges of a segment of `frames` frames in a film of several: `first` unless it is the
    /// film's first segment, `last` unless it is the film's last.
    public init(frames: Int, isFirst: Bool, isLast: Bool, gain: Int = SegmentEdges.defaultGain) {
        self.init(first: !isFirst && frames > 0, last: isLast || frames == 0 ? nil : frames - 1, gain: gain)
    }

    /// The edge frames' indices, in order, without repeats.
    public var frames: [Int] {
        var out = first ? [0] : []
        if let last, last != 0 || !first { out.append(last) }
        return out
    }

    /// x264's `zones` for the edge frames at `crf`: each frame a zone of its own at a constant
    /// QP `gain` below it (nil when there is no edge or no gain).
    public func x264Zones(crf: Int) -> String? {
        let frames = self.frames
        guard !frames.isEmpty, gain > 0 else { return nil }
        let qp = max(0, crf - gain)
        return frames.map { "\($0),\($0),q=\(qp)" }.joined(separator: "/")
    }
}
