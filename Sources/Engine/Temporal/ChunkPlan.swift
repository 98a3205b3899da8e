/// How a film's frames are cut into chunks for the workers.
///
/// Pure arithmetic beside `Stitcher`, which blends the overlaps it makes: the coordinator plans
/// with it and `vst eval` finds a film's seams with it, so it sits below both.
///
/// Chunk k owns frames `[ownStart, end)` and renders from `renderStart = ownStart - overlap`
/// (the first chunk has no overlap), so that its warm start has settled before its first own
/// frame, and so that the stitcher has two renders to blend at every boundary.
public struct ChunkPlan: Sendable, Equatable {
    public struct Chunk: Sendable, Equatable {
        public let index: Int
        /// First frame the chunk renders (inside the previous chunk's frames when overlapping).
        public let renderStart: Int
        /// First frame the chunk owns.
        public let ownStart: Int
        /// One past the chunk's last frame.
        public let end: Int
        public var renderRange: Range<Int> { renderStart..<end }
        public var ownRange: Range<Int> { ownStart..<end }
        public var overlapRange: Range<Int> { renderStart..<ownStart }
    }

    public static let defaultChunkFrames = 32
    public static let defaultOverlapFrames = 4

    /// Seam tail (frames after each overlap the hand-over goes on into, `Stitcher`) when none is
    /// given: as long as the overlap (the hand-over then takes twice the steps;
    /// docs/benchmarks.md, "Coherent Gatys"), within the chunk's own frames before the next
    /// overlap. Submit renders with it and `vst eval` reads plans with it, so it lives here.
    public static func defaultSeamTail(overlap: Int, chunk: Int) -> Int {
        max(0, min(overlap, chunk - overlap))
    }

    public let frameCount: Int
    public let chunkFrames: Int
    public let overlapFrames: Int
    public let chunks: [Chunk]

    /// Plans `frameCount` frames in chunks of `chunkFrames` own frames, each (but the first)
    /// rendering `overlapFrames` earlier frames as well. The overlap is clamped below the chunk size.
    public init(frameCount: Int, chunkFrames: Int = defaultChunkFrames, overlapFrames: Int = defaultOverlapFrames) {
        precondition(frameCount >= 0 && chunkFrames >= 1 && overlapFrames >= 0)
        self.frameCount = frameCount
        self.chunkFrames = chunkFrames
        self.overlapFrames = min(overlapFrames, chunkFrames - 1)
        var chunks: [Chunk] = []
        var start = 0
        while start < frameCount {
            let end = min(start + chunkFrames, frameCount)
            let renderStart = chunks.isEmpty ? start : max(0, start - self.overlapFrames)
            chunks.append(Chunk(index: chunks.count, renderStart: renderStart, ownStart: start, end: end))
            start = end
        }
        self.chunks = chunks
    }

    /// The chunks that render `frame`: one, or two inside an overlap (earlier chunk first).
    public func chunks(rendering frame: Int) -> [Chunk] {
        chunks.filter { $0.renderRange.contains(frame) }
    }
}
