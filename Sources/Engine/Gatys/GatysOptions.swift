/// Settings of a Gatys render. The defaults reproduce the reference render of
/// ../shared/media/SOURCES.md (content relu4_2 weight 1, style relu1_1..relu5_1 weight 1e-3,
/// Gram matrices divided by the pixel count, mean squared differences, L-BFGS with history 20).
public struct GatysOptions: Sendable, Equatable {
    public enum Optimizer: Sendable, Equatable {
        case lbfgs(historySize: Int)
        /// Learning rate in pixel units (the image spans 0...255).
        case adam(learningRate: Double)
    }

    public var contentLayers: [String] = ["relu4_2"]
    public var styleLayers: [String] = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
    public var contentWeight: Double = 1
    public var styleWeight: Double = 1e-3
    /// Total variation is off by default: the reference render has none.
    public var totalVariationWeight: Double = 0
    public var normalization: LossNormalization = .meanSquared
    public var optimizer: Optimizer = .lbfgs(historySize: 20)

    public init() {}

    /// Default weights per normalisation. Under `meanSquared` they give the reference look.
    /// Under `gatys` the style weight is 1e4 (the paper's alpha/beta = 1e-4): its content term is
    /// a sum, so it grows with the image, and 1e4 balances the two terms like the reference does
    /// at 384-512 px wide (style is layer-averaged and quartered, content is about 1e6 values / 2).
    public static func defaults(for normalization: LossNormalization) -> GatysOptions {
        var o = GatysOptions()
        o.normalization = normalization
        if normalization == .gatys { o.styleWeight = 1e4 }
        return o
    }

    /// Every layer the losses read; the network is cut after the deepest.
    public var allLayers: Set<String> { Set(contentLayers).union(styleLayers) }
}
