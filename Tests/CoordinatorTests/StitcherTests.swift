import Testing
import Coordinator

@Suite struct StitcherTests {
    @Test func rampRisesTowardTheLaterRender() {
        #expect(Stitcher.laterWeight(position: 0, overlapLength: 3) == 0.25)
        #expect(Stitcher.laterWeight(position: 2, overlapLength: 3) == 0.75)
    }

    @Test func blendMatchesAPlainDoubleReference() {
        var rng = SplitMix64(seed: 11)
        let count = 7 * 5 * 3
        let earlier = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let later = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for position in 0..<4 {
            let out = Stitcher.blend(earlier: earlier, later: later, position: position, overlapLength: 4)
            let w = Double(position + 1) / 5
            for i in 0..<count {
                let reference = Double(earlier[i]) * (1 - w) + Double(later[i]) * w
                #expect(abs(Double(out[i]) - reference) <= 0.5 + 1e-9)
            }
        }
    }

    @Test func identicalRendersBlendToThemselves() {
        var rng = SplitMix64(seed: 3)
        let frame = (0..<(9 * 3 * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for position in 0..<5 {
            #expect(Stitcher.blend(earlier: frame, later: frame, position: position, overlapLength: 5) == frame)
        }
    }
}
