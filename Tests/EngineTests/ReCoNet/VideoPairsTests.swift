import Foundation
import Testing
@testable import Engine

/// Video pairs: a frame and the same frame shifted give a window whose flow is the shift and whose
/// mask keeps most pixels, so warping the previous window reproduces the current one.
@Suite struct VideoPairsTests {
    @Test func shiftedFrameGivesItsShift() throws {
        let (w, h) = (64, 48)
        func frame(shift: Float) -> PlanarImage {
            var data: [Float] = []
            for c in 0..<3 { for y in 0..<h { for x in 0..<w {
                let fx = Float(x) - shift, fy = Float(y)
                data.append(128 + 60 * Foundation.sin(fx * 0.21 + Float(c)) * Foundation.cos(fy * 0.17) + 30 * Foundation.sin((fx + fy) * 0.05))
            } } }
            return PlanarImage(width: w, height: h, channels: 3, data: data)
        }
        var rng = SplitMix64(seed: 71)
        // current(x) = previous(x - 2): the flow from current to previous is -2 in x.
        let pair = try VideoPairs.pair(previous: frame(shift: 0), current: frame(shift: 2), size: 32, using: &rng)
        #expect(pair.previous.shape == [1, 3, 32, 32] && pair.mask.count == 1024)
        let kept = pair.mask.indices.filter { pair.mask[$0] > 0 }
        #expect(kept.count > 600)
        let meanU = kept.map { Double(pair.flow.u[$0]) }.reduce(0, +) / Double(kept.count)
        let meanV = kept.map { Double(pair.flow.v[$0]) }.reduce(0, +) / Double(kept.count)
        #expect(abs(meanU + 2) < 0.25 && abs(meanV) < 0.25)
        #expect(throws: FlowError.self) { try VideoPairs.pair(previous: frame(shift: 0), current: frame(shift: 0), size: 100, using: &rng) }
    }
}
