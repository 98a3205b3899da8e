/// One still picture styled end to end (what `vst stylize` does): resize the content to the
/// width asked for, scale each style image relative to it, optionally recolour the styles or
/// keep the content's colours, pick the starting image, render. Images in and out are
/// `GatysImage` tensors (RGB 0...255); loading and saving files is the caller's business.
public struct GatysStill {
    public enum Initial: Sendable, Equatable {
        case content
        case noise(seed: UInt64)
        /// An image of any size; it is resized to the content's.
        case image(Tensor)
    }

    public var content: Tensor
    public var styles: [Tensor]
    /// Blend weights, one per style (nil: equal).
    public var styleBlendWeights: [Double]?
    /// Output width in pixels (height keeps the aspect ratio); nil keeps the content's size.
    public var width: Int?
    /// Each style image is resized to `styleScale` times the output width, keeping its aspect.
    public var styleScale: Double = 1
    public var initial: Initial = .content
    public var originalColors: ColorTransfer.Mode?
    public var iterations: Int = 150
    /// Iterations at half size before the full-size render, which starts from their result
    /// enlarged (`CoarseToFine`); 0 renders at full size only.
    public var coarseIterations: Int = 0
    /// Stops the render before `iterations` once the loss has stopped moving; nil runs them all.
    public var stop: LossPlateau?
    public var options = GatysOptions()

    public init(content: Tensor, styles: [Tensor]) {
        self.content = content
        self.styles = styles
    }

    /// Resizes `image` to `width`, keeping the aspect ratio (at least 1 pixel each way).
    public static func resized(_ image: Tensor, toWidth width: Int) -> Tensor {
        let (h, w) = (image.shape[2], image.shape[3])
        let height = max(1, Int((Double(h) * Double(width) / Double(w)).rounded()))
        return GatysImage.resized(image, width: max(1, width), height: height)
    }

    public func render(weights: VGGWeights, progress: GatysRenderer.Progress? = nil) throws(GatysError) -> GatysRenderer.Result {
        guard !styles.isEmpty else { throw .noStyle }
        if let b = styleBlendWeights, b.count != styles.count { throw .blendWeightCount(styles: styles.count, weights: b.count) }
        guard styleScale > 0, styleScale.isFinite else { throw .badStyleScale(styleScale) }
        let c = width.map { Self.resized(content, toWidth: $0) } ?? content
        let renderer = try self.renderer(weights: weights, content: c, frameWidth: c.shape[3])
        let start: Tensor
        switch initial {
        case .content: start = c
        case .noise(let seed): start = GatysImage.noise(width: c.shape[3], height: c.shape[2], seed: seed)
        case .image(let t): start = GatysImage.resized(t, width: c.shape[3], height: c.shape[2])
        }
        var result: GatysRenderer.Result
        if coarseIterations > 0 {
            let small = CoarseToFine.coarseSize(width: c.shape[3], height: c.shape[2], minimumSide: renderer.minimumSide)
            let coarse = try self.renderer(weights: weights, content: c, frameWidth: small.width)
            result = try CoarseToFine(coarse: coarse, fine: renderer, coarseIterations: coarseIterations)
                .render(content: c, initial: start, iterations: iterations, stop: stop, progress: progress).fine
        } else {
            result = try renderer.render(content: c, initial: start, iterations: iterations, stop: stop, progress: progress)
        }
        if originalColors == .luminance {
            result.image = ColorTransfer.luminanceOnly(styled: result.image, content: c)
        }
        return result
    }

    /// A renderer for pictures `frameWidth` wide: the styles at `styleScale` times that width,
    /// recoloured toward `content` when asked.
    private func renderer(weights: VGGWeights, content c: Tensor, frameWidth: Int) throws(GatysError) -> GatysRenderer {
        try Self.renderer(weights: weights, options: options, styles: styles, blendWeights: styleBlendWeights,
                          frameWidth: frameWidth, styleScale: styleScale, recolourToward: originalColors == .histogram ? c : nil)
    }

    /// A renderer for pictures `frameWidth` wide, the one recipe `vst stylize` and the farm's
    /// workers share: each style at `styleScale` times that width (at least 16 pixels), recoloured
    /// to `recolourToward`'s colour statistics when given, weighted by `blendWeights` (nil or a
    /// count that does not match: all 1).
    public static func renderer(weights: VGGWeights, options: GatysOptions, styles: [Tensor], blendWeights: [Double]?,
                                frameWidth: Int, styleScale: Double, recolourToward target: Tensor?) throws(GatysError) -> GatysRenderer {
        let styleWidth = max(16, Int((Double(frameWidth) * styleScale).rounded()))
        var styleImages = styles.map { resized($0, toWidth: styleWidth) }
        if let target { styleImages = styleImages.map { ColorTransfer.matchingColorStatistics(of: $0, to: target) } }
        let blend = blendWeights?.count == styles.count ? blendWeights! : [Double](repeating: 1, count: styles.count)
        return try GatysRenderer(weights: weights, options: options, styles: zip(styleImages, blend).map { .init(image: $0, weight: $1) })
    }
}
