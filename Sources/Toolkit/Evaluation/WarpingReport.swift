import Engine

/// The temporal-consistency figures of a styled film (`vst eval`): the warping error of Lai et
/// al. 2018 per frame (`Engine.WarpingError`), its mean, and the means at chunk boundaries and
/// inside chunks, which is how seams are measured rather than eyeballed.
public struct WarpingReport: Codable, Sendable, Equatable {
    public struct Series: Codable, Sendable, Equatable {
        public var path: String
        /// Index t: the error between frames t-1 and t; nil for frame 0.
        public var perFrame: [Double?]
        public var mean: Double
        /// Mean over `boundaryFrames` (nil without a plan or boundaries).
        public var boundaryMean: Double?
        /// Mean over every other frame t >= 1.
        public var interiorMean: Double?
        /// boundaryMean / interiorMean.
        public var boundaryToInterior: Double?
        /// mean / the baseline's mean, when a baseline is given.
        public var ratioToBaseline: Double?

        public init(path: String, errors: [Double], boundaryFrames: Set<Int>) {
            self.path = path
            perFrame = [nil] + errors.map { Optional($0) }
            mean = errors.isEmpty ? 0 : errors.reduce(0, +) / Double(errors.count)
            let indexed = errors.enumerated().map { (frame: $0.offset + 1, error: $0.element) }
            let boundary = indexed.filter { boundaryFrames.contains($0.frame) }.map(\.error)
            let interior = indexed.filter { !boundaryFrames.contains($0.frame) }.map(\.error)
            if !boundary.isEmpty { boundaryMean = boundary.reduce(0, +) / Double(boundary.count) }
            if !boundary.isEmpty && !interior.isEmpty { interiorMean = interior.reduce(0, +) / Double(interior.count) }
            if let b = boundaryMean, let i = interiorMean, i > 0 { boundaryToInterior = b / i }
        }
    }

    /// What the error means, for whoever reads the JSON without the docs.
    public var metric = "Lai et al. 2018 warping error: occlusion-masked mean over pixels of the squared RGB distance (0...1 per channel) between O_t and O_{t-1} warped by the input's flow"
    public var frames: Int
    public var flowPreset: String
    /// Frames whose error spans a chunk hand-over: each overlap and the later chunk's first own frame.
    public var boundaryFrames: [Int]
    /// The input film against its own flow: the floor a styled film can reach.
    public var input: Series
    public var styled: Series
    public var baseline: Series?
    public var plot: String?
    /// The error at the top of the plot's axis (its grey lines are quarters of top / 1.1).
    public var plotTop: Double?

    /// Frames t whose error E(t) compares two frames across a hand-over of `plan`: every t in
    /// renderStart...ownStart + seamTail of each chunk after the first (a hard cut shows at
    /// ownStart; a stitched hand-over is spread over the overlap and the seam tail).
    public static func boundaryFrames(of plan: ChunkPlan, seamTail: Int = 0) -> [Int] {
        plan.chunks.dropFirst().flatMap { Array($0.renderStart...($0.ownStart + seamTail)) }.filter { $0 >= 1 && $0 < plan.frameCount }
    }
}
