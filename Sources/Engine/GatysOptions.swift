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

    /// Default weights per normalisation: under `meanSquared` they give the reference look;
    /// under `gatys` they are the paper's ratio alpha/beta = 1e-3 (content 1, style 1e3), which
    /// is not tuned here (its content term grows with the image size, the reference's does not).
    public static func defaults(for normalization: LossNormalization) -> GatysOptions {
        var o = GatysOptions()
        o.normalization = normalization
        if normalization == .gatys { o.styleWeight = 1e3 }
        return o
    }

    /// Every layer the losses read; the network is cut after the deepest.
    public var allLayers: Set<String> { Set(contentLayers).union(styleLayers) }
}
