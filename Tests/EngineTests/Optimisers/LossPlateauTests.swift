import Foundation
import Testing
@testable import Engine

@Suite struct LossPlateauTests {
    /// Feeds `losses` (the start, then one per iteration) and returns the iteration it stops at.
    static func stop(_ plateau: LossPlateau, _ losses: [Double]) -> Int? {
        var plateau = plateau
        plateau.start(losses[0])
        for (i, loss) in losses.dropFirst().enumerated() where plateau.reached(loss) { return i + 1 }
        return nil
    }

    @Test func stopsOnceTheLossFellByLessThanTheToleranceOverTheWindow() {
        // Falls 10% an iteration, then 0.1%: over a window of 3 the decrease drops under 1% at
        // the third slow iteration, not before.
        var losses = [100.0]
        for _ in 0..<5 { losses.append(losses.last! * 0.9) }
        for _ in 0..<10 { losses.append(losses.last! * 0.999) }
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 3), losses) == 8)
    }

    @Test func doesNotStopWhileTheLossStillFallsFast() {
        let losses = (0..<50).map { 100 * pow(0.95, Double($0)) }
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 5), losses) == nil)
    }

    @Test func neverStopsBeforeTheWindowHasRun() {
        // A loss that does not move at all still gets `window` iterations.
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 4), Array(repeating: 7, count: 10)) == 4)
        // A loss that went up over the window counts as still.
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 2), [5, 6, 7, 8]) == 2)
    }

    @Test func aLossThatIsNotAFinitePositiveNumberNeverStopsIt() {
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 1), [0, 0, 0, 0]) == nil)
        #expect(Self.stop(LossPlateau(tolerance: 0.01, window: 1), [.infinity, .infinity, 1]) == nil)
    }

    /// The renderer stops a tiny render once its loss is still, before the cap, and the render up
    /// to there is the one a fixed count of that many iterations gives.
    @Test func theRendererStopsAtThePlateauAndMatchesAFixedCountRender() throws {
        let weights = VGGNetworkTests.randomWeights(GatysRendererTests.tiny, seed: 41)
        let renderer = try GatysRenderer(weights: weights, options: GatysRendererTests.options(),
                                         styles: [.init(image: GatysRendererTests.picture(9, 7, seed: 6))])
        let content = GatysRendererTests.picture(8, 6, seed: 7)
        let stopped = try renderer.render(content: content, iterations: 200, stop: LossPlateau(tolerance: 0.01, window: 3))
        #expect(stopped.iterations >= 3 && stopped.iterations < 200, "stopped after \(stopped.iterations)")
        let fixed = try renderer.render(content: content, iterations: stopped.iterations)
        #expect(fixed.image == stopped.image)
    }
}
