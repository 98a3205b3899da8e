/// A frame rendered at half size first, its result enlarged as the full-size render's start: the
/// multi-resolution scheme neural-style's users script by hand (render small, upsample, render
/// again with the small result as `-init image`). The coarse level's iterations cost about a
/// quarter of a full-size one's, and the picture's large structure settles there.
///
/// The two levels have their own renderers because the style picture keeps its scale relative
/// to the frame (`styleScale` times the frame's width): the coarse renderer's style targets are
/// those of the style at the coarse width. Measured against a single level in
/// docs/benchmarks.md ("Coarse-to-fine").
public struct CoarseToFine {
    /// What both levels did, and where the fine one started.
    public struct Result {
        public var coarse: GatysRenderer.Result
        /// The coarse render enlarged to the frame's size: the fine level's start.
        public var fineStart: Tensor
        public var fine: GatysRenderer.Result
    }

    /// Renders the coarse level; its styles must be at the coarse width.
    public let coarse: GatysRenderer
    /// Renders the full-size level.
    public let fine: GatysRenderer
    /// The coarse level's iterations (a cap when the fine level's `stop` rule is given: the
    /// coarse level uses the same rule).
    public var coarseIterations: Int

    public init(coarse: GatysRenderer, fine: GatysRenderer, coarseIterations: Int) {
        self.coarse = coarse
        self.fine = fine
        self.coarseIterations = coarseIterations
    }

    /// The coarse size of a `width` x `height` frame: half each way, rounded, at least the
    /// renderer's minimum side.
    public static func coarseSize(width: Int, height: Int, minimumSide: Int) -> (width: Int, height: Int) {
        (max(minimumSide, (width + 1) / 2), max(minimumSide, (height + 1) / 2))
    }

    /// Renders `content` at the coarse size from `initial` (or the content) shrunk, then at full
    /// size from the coarse result enlarged. `extraLoss` (a temporal hold, which is defined on
    /// the full-size picture) applies to the fine level only, as do `progress` and `memory` (L-BFGS's
    /// pairs are of full-size pictures: the fine level leaves its own for a chain's next frame).
    public func render(content: Tensor, initial: Tensor? = nil, iterations: Int, stop: LossPlateau? = nil,
                       extraLoss: GatysRenderer.ExtraLoss? = nil, memory: LBFGS.Memory? = nil,
                       progress: GatysRenderer.Progress? = nil) throws(GatysError) -> Result {
        guard content.shape.count == 4, content.shape[0] == 1, content.shape[1] == 3 else {
            throw .badImageShape(content.shape)
        }
        let (h, w) = (content.shape[2], content.shape[3])
        let small = Self.coarseSize(width: w, height: h, minimumSide: coarse.minimumSide)
        let coarseContent = GatysImage.resized(content, width: small.width, height: small.height)
        let coarseStart = initial.map { GatysImage.resized($0, width: small.width, height: small.height) }
        let low = try coarse.render(content: coarseContent, initial: coarseStart, iterations: coarseIterations, stop: stop)
        let start = GatysImage.resized(low.image, width: w, height: h)
        let high = try fine.render(content: content, initial: start, iterations: iterations, stop: stop, extraLoss: extraLoss, memory: memory,
                                   progress: progress)
        return Result(coarse: low, fineStart: start, fine: high)
    }
}
