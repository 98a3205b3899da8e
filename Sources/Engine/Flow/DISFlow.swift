import Foundation

/// Dense Inverse Search optical flow (Kroeger, Timofte, Dai, Van Gool, ECCV 2016), with the
/// variational refinement of Brox et al. (2004) at every scale, on the CPU.
///
/// Per pyramid level, coarse to fine: (1) a grid of 8x8 patches of the first frame each finds its
/// displacement in the second by inverse-compositional Gauss-Newton descent, starting from the
/// flow of the coarser level (and from a neighbour's result when that matches better);
/// (2) densification: every pixel takes the patches covering it, weighted by how well each
/// patch's displacement explains that pixel; (3) variational refinement: a few fixed-point and
/// SOR iterations of a robust energy (brightness and gradient constancy, smoothness) polish the
/// dense field. See docs/flow.md for why this method and how the presets were chosen.
public struct DISFlow: Sendable {
    /// The patch side, fixed so that one patch row is one `SIMD8<Float>`.
    public static let patchSize = 8

    public struct Parameters: Sendable, Equatable {
        /// Distance between neighbouring patches (smaller: more overlap, slower, more accurate).
        public var patchStride: Int
        /// Gauss-Newton iterations per patch.
        public var gradientDescentIterations: Int
        /// The finest pyramid level searched and refined (0 = full resolution); the result is
        /// upsampled from there.
        public var finestScale: Int
        /// Fixed-point iterations of the variational refinement at each level (0 switches it off).
        public var fixedPointIterations: Int
        /// SOR sweeps per fixed-point iteration.
        public var sorIterations: Int
        /// Extra refinement rounds at the finest level, each re-warping the second frame.
        public var finalWarps: Int
        /// Extra refinement rounds at every coarser level.
        public var coarseWarps: Int
        /// Gaussian presmoothing (sigma, pixels) of the frames the refinement differentiates.
        public var presmoothing: Float
        /// Smoothness weight, gradient-constancy weight, brightness-constancy weight.
        public var alpha: Float, gamma: Float, delta: Float
        /// Refine on the three colour channels instead of luminance.
        public var colour: Bool

        public init(patchStride: Int, gradientDescentIterations: Int, finestScale: Int,
                    fixedPointIterations: Int, sorIterations: Int, finalWarps: Int = 0,
                    coarseWarps: Int = 0, presmoothing: Float = 0,
                    alpha: Float = 20, gamma: Float = 10, delta: Float = 5, colour: Bool = false) {
            self.patchStride = patchStride
            self.gradientDescentIterations = gradientDescentIterations
            self.finestScale = finestScale
            self.fixedPointIterations = fixedPointIterations
            self.sorIterations = sorIterations
            self.finalWarps = finalWarps
            self.coarseWarps = coarseWarps
            self.presmoothing = presmoothing
            self.alpha = alpha
            self.gamma = gamma
            self.delta = delta
            self.colour = colour
        }
    }

    public let parameters: Parameters

    public init(parameters: Parameters) { self.parameters = parameters }
    public init(preset: FlowPreset = .balanced) { self.parameters = preset.parameters }

    /// The coarsest level used for a `width` x `height` frame: its larger side about four
    /// patches, and its smaller side at least one patch.
    static func coarsestScale(width: Int, height: Int) -> Int {
        let p = Double(patchSize)
        let a = Int((Double(max(width, height)) / (4 * p)).log2 + 0.5)
        let b = Int((Double(min(width, height)) / p).log2)
        return max(0, min(a, b))
    }

    /// The flow from `first` to `second` (same size, 1 or 3 channels, values 0...255).
    public func flow(from first: PlanarImage, to second: PlanarImage) throws(FlowError) -> FlowField {
        guard first.width == second.width, first.height == second.height, first.channels == second.channels else {
            throw .sizeMismatch("frames \(first.width)x\(first.height)x\(first.channels) and \(second.width)x\(second.height)x\(second.channels)")
        }
        guard first.width >= 2, first.height >= 2 else { throw .tooSmall(width: first.width, height: first.height) }
        let p = parameters
        let coarsest = Self.coarsestScale(width: first.width, height: first.height)
        let finest = min(p.finestScale, coarsest)
        let useColour = p.colour && first.channels == 3
        let g0 = ImagePyramid(first.luminance(), levels: coarsest + 1)
        let g1 = ImagePyramid(second.luminance(), levels: coarsest + 1)
        // The refinement sees presmoothed frames, in colour if asked, at every level.
        let r0 = ImagePyramid((useColour ? first : first.luminance()).gaussianBlurred(sigma: p.presmoothing), levels: coarsest + 1)
        let r1 = ImagePyramid((useColour ? second : second.luminance()).gaussianBlurred(sigma: p.presmoothing), levels: coarsest + 1)

        var flow = FlowField(width: g0[coarsest].width, height: g0[coarsest].height)
        for s in stride(from: coarsest, through: finest, by: -1) {
            let i0 = g0[s], i1 = g1[s]
            flow = flow.resized(width: i0.width, height: i0.height)
            if i0.width >= Self.patchSize && i0.height >= Self.patchSize && p.gradientDescentIterations > 0 {
                let search = PatchSearch(first: i0, second: i1, stride: p.patchStride, iterations: p.gradientDescentIterations)
                flow = search.run(initial: flow)
            }
            if p.fixedPointIterations > 0 {
                let refinement = VariationalRefinement(alpha: p.alpha, gamma: p.gamma, delta: p.delta,
                                                       fixedPointIterations: p.fixedPointIterations,
                                                       sorIterations: p.sorIterations)
                let rounds = 1 + (s == finest ? p.finalWarps : p.coarseWarps)
                for _ in 0..<rounds { refinement.refine(&flow, first: r0[s], second: r1[s]) }
            }
        }
        return flow.resized(width: first.width, height: first.height)
    }
}

/// Quality/speed trade-offs for `DISFlow`, measured on ../shared/flow (docs/benchmarks.md).
public enum FlowPreset: String, CaseIterable, Sendable {
    /// Half-resolution search and refinement: for previews and quick checks.
    case fast
    /// The default: full resolution, the accuracy the temporal losses need at video rates.
    case balanced
    /// More patches, more iterations, colour refinement: the most accurate, several times slower.
    case accurate

    public var parameters: DISFlow.Parameters {
        switch self {
        case .fast:
            DISFlow.Parameters(patchStride: 4, gradientDescentIterations: 16, finestScale: 1,
                               fixedPointIterations: 5, sorIterations: 5)
        case .balanced:
            DISFlow.Parameters(patchStride: 3, gradientDescentIterations: 25, finestScale: 0,
                               fixedPointIterations: 5, sorIterations: 5)
        case .accurate:
            DISFlow.Parameters(patchStride: 2, gradientDescentIterations: 32, finestScale: 0,
                               fixedPointIterations: 5, sorIterations: 10, finalWarps: 2, colour: true)
        }
    }
}

private extension Double {
    var log2: Double { Foundation.log2(self) }
}
