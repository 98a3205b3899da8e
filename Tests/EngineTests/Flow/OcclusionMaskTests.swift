import Testing
@testable import Engine

@Suite struct OcclusionMaskTests {
    /// A 10x10 square at x = 10...19, y = 8...17 in frame t-1 moves 4 px right in frame t.
    static let (w, h, side, x0, y0, shift) = (40, 30, 10, 10, 8, 4)

    static func flows() -> (backward: FlowField, forward: FlowField) {
        var forward = FlowField(width: w, height: h), backward = FlowField(width: w, height: h)
        for y in y0..<(y0 + side) {
            for x in x0..<(x0 + side) { forward.u[y * w + x] = Float(shift) }
            for x in (x0 + shift)..<(x0 + shift + side) { backward.u[y * w + x] = -Float(shift) }
        }
        return (backward, forward)
    }

    @Test func consistencyMarksTheDisoccludedBandAndNothingElse() {
        let (b, f) = Self.flows()
        let mask = OcclusionMask.consistency(backward: b, forward: f)
        for y in 0..<Self.h { for x in 0..<Self.w {
            let inBand = y >= Self.y0 && y < Self.y0 + Self.side && x >= Self.x0 && x < Self.x0 + Self.shift
            #expect(mask.data[y * Self.w + x] == (inBand ? 0 : 1), "pixel (\(x), \(y))")
        } }
    }

    @Test func motionBoundariesFollowTheSquaresOutline() {
        let (b, _) = Self.flows()
        let mask = OcclusionMask.motionBoundaries(b)
        let (l, r, t, d) = (Self.x0 + Self.shift, Self.x0 + Self.shift + Self.side - 1, Self.y0, Self.y0 + Self.side - 1)
        for y in 0..<Self.h { for x in 0..<Self.w {
            // Central differences see a jump one pixel either side of each edge of the moved square
            // (but not at the four pixels diagonally outside its corners).
            let nearX = x >= l - 1 && x <= r + 1, nearY = y >= t - 1 && y <= d + 1
            let outsideCorner = (x == l - 1 || x == r + 1) && (y == t - 1 || y == d + 1)
            let onOutline = nearX && nearY && (x <= l || x >= r || y <= t || y >= d) && !outsideCorner
            #expect(mask.data[y * Self.w + x] == (onOutline ? 0 : 1), "pixel (\(x), \(y))")
        } }
    }

    @Test func reliabilityCombinesBothAndTheFrameEdge() {
        let (b, f) = Self.flows()
        let c = OcclusionMask.reliability(backward: b, forward: f)
        let band = OcclusionMask.consistency(backward: b, forward: f), edges = OcclusionMask.motionBoundaries(b)
        #expect(c.data == zip(band.data, edges.data).map { min($0, $1) })
        #expect(c.data.allSatisfy { $0 == 0 || $0 == 1 })
        // A flow pointing out of the frame makes the pixels that look outside unreliable.
        let out = FlowField.constant(width: 8, height: 4, u: -2.5, v: 0), back = FlowField.constant(width: 8, height: 4, u: 2.5, v: 0)
        let m = OcclusionMask.consistency(backward: out, forward: back)
        #expect(m.data[0] == 0 && m.data[1] == 0 && m.data[2] == 0 && m.data[3] == 1)
    }
}
