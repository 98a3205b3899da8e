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
        /// SOR over-relaxation factor (0 < omega < 2). With the robust weights recomputed every
        /// fixed-point iteration, a few strongly over-relaxed sweeps beat many gentle ones.
        public var omega: Float
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
                    coarseWarps: Int = 0, presmoothing: Float = 0.8, omega: Float = 1.9,
                    alpha: Float = 40, gamma: Float = 8, delta: Float = 5, colour: Bool = false) {
            self.patchStride = patchStride
            self.gradientDescentIterations = gradientDescentIterations
            self.finestScale = finestScale
            self.fixedPointIterations = fixedPointIterations
            self.sorIterations = sorIterations
            self.finalWarps = finalWarps
            self.coarseWarps = coarseWarps
            self.presmoothing = presmoothing
            self.omega = omega
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

    /// Scratch memory is kept between calls (up to 256 MB) because reusing it is faster than
    /// faulting in fresh pages; call this to hand it back, e.g. after the last frame of a chunk.
    public static func releaseCachedMemory() { FloatBufferPool.shared.drain() }

    /// The flow from `first` to `second` (same size, 1 or 3 channels, values 0...255).
    public func flow(from first: PlanarImage, to second: PlanarImage) throws(FlowError) -> FlowField {
        guard first.width == second.width, first.height == second.height, first.channels == second.channels else {
            throw .sizeMismatch("frames \(first.width)x\(first.height)x\(first.channels) and \(second.width)x\(second.height)x\(second.channels)")
        }
        guard first.width >= 2, first.height >= 2 else { throw .tooSmall(width: first.width, height: first.height) }
        guard first.channels == 1 || first.channels == 3 else { throw .unsupportedChannels(first.channels) }
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
                                                       sorIterations: p.sorIterations, omega: p.omega)
                let rounds = 1 + (s == finest ? p.finalWarps : p.coarseWarps)
                for _ in 0..<rounds { refinement.refine(&flow, first: r0[s], second: r1[s]) }
            }
        }
        return flow.resized(width: first.width, height: first.height)
    }
}

/// Quality/speed trade-offs for `DISFlow`, chosen by measuring ../shared/flow (docs/flow.md,
/// docs/benchmarks.md). All refine with alpha 40, gamma 8, delta 5 on frames presmoothed with
/// sigma 0.8, and two SOR sweeps at omega 1.9 per fixed-point iteration (three for `accurate`).
public enum FlowPreset: String, CaseIterable, Sendable {
    /// Sparse patches, luminance only, one extra refinement round at full resolution: better
    /// than OpenCV's DIS-medium, for previews and quick checks.
    case fast
    /// The default: denser patches and four refinement rounds per level in colour; more
    /// accurate than OpenCV's DeepFlow on the Middlebury pairs, in less CPU time than it.
    case balanced
    /// Densest patches and more rounds: the most accurate, about 1.5x balanced's time.
    case accurate

    public var parameters: DISFlow.Parameters {
        switch self {
        case .fast:
            DISFlow.Parameters(patchStride: 6, gradientDescentIterations: 12, finestScale: 0,
                               fixedPointIterations: 5, sorIterations: 2, finalWarps: 1)
        case .balanced:
            DISFlow.Parameters(patchStride: 4, gradientDescentIterations: 16, finestScale: 0,
                               fixedPointIterations: 5, sorIterations: 2, finalWarps: 3, coarseWarps: 3, colour: true)
        case .accurate:
            DISFlow.Parameters(patchStride: 3, gradientDescentIterations: 25, finestScale: 0,
                               fixedPointIterations: 5, sorIterations: 3, finalWarps: 5, coarseWarps: 4, colour: true)
        }
    }
}

private extension Double {
    var log2: Double { Foundation.log2(self) }
}
