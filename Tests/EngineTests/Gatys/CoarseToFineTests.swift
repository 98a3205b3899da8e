import Testing
@testable import Engine

@Suite struct CoarseToFineTests {
    static func renderers(seed: UInt64, style: Tensor, coarseStyle: Tensor) throws -> (coarse: GatysRenderer, fine: GatysRenderer) {
        let weights = VGGNetworkTests.randomWeights(GatysRendererTests.tiny, seed: seed)
        let o = GatysRendererTests.options()
        return (try GatysRenderer(weights: weights, options: o, styles: [.init(image: coarseStyle)]),
                try GatysRenderer(weights: weights, options: o, styles: [.init(image: style)]))
    }

    @Test func theFineLevelStartsFromTheCoarseRenderEnlarged() throws {
        let style = GatysRendererTests.picture(12, 10, seed: 41)
        let (coarse, fine) = try Self.renderers(seed: 40, style: style, coarseStyle: GatysImage.resized(style, width: 6, height: 5))
        let content = GatysRendererTests.picture(12, 10, seed: 42)
        let result = try CoarseToFine(coarse: coarse, fine: fine, coarseIterations: 8).render(content: content, iterations: 3)

        #expect(result.coarse.image.shape == [1, 3, 5, 6])
        #expect(result.coarse.iterations == 8)
        #expect(result.coarse.final.total < result.coarse.initial.total)
        // The fine level's start is the coarse render enlarged, not the content.
        let enlarged = GatysImage.resized(result.coarse.image, width: 12, height: 10)
        #expect(result.fineStart.shape == [1, 3, 10, 12])
        #expect(result.fineStart.relativeError(to: enlarged) < 1e-6)
        #expect(result.fineStart.relativeError(to: content) > 0.05)
        // Its first loss is that of the enlarged coarse render under the fine level's objective.
        let targets = fine.network.forward(GatysImage.toCaffe(content), capture: ["relu2_1"])
        let atStart = fine.evaluate(GatysImage.toCaffe(enlarged), contentTargets: targets, extraLoss: nil).0.total
        #expect(abs(result.fine.initial.total - atStart) <= 1e-4 * atStart)
        #expect(result.fine.image.shape == [1, 3, 10, 12])
        #expect(result.fine.final.total < atStart)
    }

    @Test func theCoarseLevelStartsFromTheGivenStartShrunk() throws {
        let style = GatysRendererTests.picture(12, 10, seed: 43)
        let (coarse, fine) = try Self.renderers(seed: 44, style: style, coarseStyle: GatysImage.resized(style, width: 6, height: 5))
        let content = GatysRendererTests.picture(12, 10, seed: 45), start = GatysRendererTests.picture(12, 10, seed: 46)
        let result = try CoarseToFine(coarse: coarse, fine: fine, coarseIterations: 2).render(content: content, initial: start, iterations: 1)
        let small = GatysImage.resized(content, width: 6, height: 5)
        let targets = coarse.network.forward(GatysImage.toCaffe(small), capture: ["relu2_1"])
        let shrunk = GatysImage.resized(start, width: 6, height: 5)
        let atStart = coarse.evaluate(GatysImage.toCaffe(shrunk), contentTargets: targets, extraLoss: nil).0.total
        #expect(abs(result.coarse.initial.total - atStart) <= 1e-4 * atStart)
    }

    @Test func theCoarseSizeIsHalfRoundedUpAndNeverBelowTheMinimum() {
        #expect(CoarseToFine.coarseSize(width: 640, height: 360, minimumSide: 16) == (320, 180))
        #expect(CoarseToFine.coarseSize(width: 285, height: 161, minimumSide: 16) == (143, 81))
        #expect(CoarseToFine.coarseSize(width: 20, height: 30, minimumSide: 16) == (16, 16))
    }
}
