import Testing
@testable import Engine

/// The temporal losses: zero for a static pair, positive for flicker, the luminance term, and
/// gradients against central finite differences.
@Suite struct ReCoNetTemporalLossTests {
    @Test func outputLossIsZeroForAStaticPairAndPositiveForFlicker() {
        var rng = SplitMix64(seed: 31)
        let frame = Tensor.random([1, 3, 6, 7], in: 0...255, using: &rng)
        let styled = Tensor.random([1, 3, 6, 7], in: 0...255, using: &rng)
        let still = FlowField(width: 7, height: 6)
        let mask = [Float](repeating: 1, count: 42)
        let s = ReCoNetTemporalLoss.output(previous: styled, current: styled, previousInput: frame, currentInput: frame, flow: still, mask: mask)
        #expect(s.loss == 0)
        #expect(s.currentGradient.scalars.allSatisfy { $0 == 0 })
        let flicker = styled.map { min(255, $0 + 20) }
        let f = ReCoNetTemporalLoss.output(previous: styled, current: flicker, previousInput: frame, currentInput: frame, flow: still, mask: mask)
        #expect(f.loss > 0)
        // A masked-out frame counts nothing.
        let none = ReCoNetTemporalLoss.output(previous: styled, current: flicker, previousInput: frame, currentInput: frame,
                                       flow: still, mask: [Float](repeating: 0, count: 42))
        #expect(none.loss == 0)
    }

    @Test func brighterInputExcusesABrighterOutput() {
        var rng = SplitMix64(seed: 32)
        let frame = Tensor.random([1, 3, 5, 5], in: 50...200, using: &rng)
        let styled = Tensor.random([1, 3, 5, 5], in: 50...200, using: &rng)
        let flow = FlowField(width: 5, height: 5), mask = [Float](repeating: 1, count: 25)
        // Inputs and outputs both brighten by 10 in every channel: luminance rises by exactly 10.
        let l = ReCoNetTemporalLoss.output(previous: styled, current: styled.map { $0 + 10 },
                                    previousInput: frame, currentInput: frame.map { $0 + 10 }, flow: flow, mask: mask)
        #expect(l.loss < 1e-10)
    }

    @Test func movedContentWarpsBackToZeroLoss() {
        // A horizontal ramp shifted by 2 pixels: the flow from current to previous is +2 in x.
        let (h, w) = (4, 10)
        let ramp = { (shift: Float) in Tensor(shape: [1, 3, h, w], scalars: (0..<(3 * h * w)).map { i in Float(i % w) * 10 + shift }) }
        let previous = ramp(0), current = ramp(20)
        let flow = FlowField.constant(width: w, height: h, u: 2, v: 0)
        let mask = Warp.insideMask(flow)
        let l = ReCoNetTemporalLoss.output(previous: previous, current: current, previousInput: previous, currentInput: current, flow: flow, mask: mask)
        #expect(l.loss < 1e-10)
        let f = ReCoNetTemporalLoss.feature(previous: previous, current: current, flow: flow, mask: mask)
        #expect(f.loss >= 0)
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = SplitMix64(seed: 33)
        let (h, w) = (5, 6)
        let flow = FlowField(width: w, height: h, u: (0..<30).map { _ in Float.random(in: -1.5...1.5, using: &rng) },
                             v: (0..<30).map { _ in Float.random(in: -1.5...1.5, using: &rng) })
        let mask = (0..<30).map { _ in Float.random(in: 0...1, using: &rng) }
        let ip = Tensor.random([1, 3, h, w], in: 0...255, using: &rng), ic = Tensor.random([1, 3, h, w], in: 0...255, using: &rng)
        let op = Tensor.random([1, 3, h, w], in: 0...255, using: &rng), oc = Tensor.random([1, 3, h, w], in: 0...255, using: &rng)
        let out = ReCoNetTemporalLoss.output(previous: op, current: oc, previousInput: ip, currentInput: ic, flow: flow, mask: mask)
        let numericPrev = GradientCheck.numericGradient(of: { p in
            Tensor(shape: [1], scalars: [Float(ReCoNetTemporalLoss.output(previous: p, current: oc, previousInput: ip, currentInput: ic, flow: flow, mask: mask).loss)])
        }, at: op, projection: Tensor(shape: [1], scalars: [1]), step: 0.5)
        #expect(out.previousGradient.relativeError(to: numericPrev) < 1e-2)
        let numericCur = GradientCheck.numericGradient(of: { c in
            Tensor(shape: [1], scalars: [Float(ReCoNetTemporalLoss.output(previous: op, current: c, previousInput: ip, currentInput: ic, flow: flow, mask: mask).loss)])
        }, at: oc, projection: Tensor(shape: [1], scalars: [1]), step: 0.5)
        #expect(out.currentGradient.relativeError(to: numericCur) < 1e-2)

        // Features at a quarter of a 20x24 frame.
        let big = FlowField(width: 24, height: 20, u: (0..<480).map { _ in Float.random(in: -4...4, using: &rng) },
                            v: (0..<480).map { _ in Float.random(in: -4...4, using: &rng) })
        let bigMask = (0..<480).map { _ in Float(Int.random(in: 0...1, using: &rng)) }
        let fp = Tensor.random([1, 2, 5, 6], using: &rng), fc = Tensor.random([1, 2, 5, 6], using: &rng)
        let feat = ReCoNetTemporalLoss.feature(previous: fp, current: fc, flow: big, mask: bigMask)
        let numericF = GradientCheck.numericGradient(of: { p in
            Tensor(shape: [1], scalars: [Float(ReCoNetTemporalLoss.feature(previous: p, current: fc, flow: big, mask: bigMask).loss)])
        }, at: fp, projection: Tensor(shape: [1], scalars: [1]), step: 1e-2)
        #expect(feat.previousGradient.relativeError(to: numericF) < 1e-2)
    }
}
