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
        let mask = OcclusionMask.consistency(of: b, reverse: f)
        for y in 0..<Self.h { for x in 0..<Self.w {
            let inBand = y >= Self.y0 && y < Self.y0 + Self.side && x >= Self.x0 && x < Self.x0 + Self.shift
            #expect(mask.data[y * Self.w + x] == (inBand ? 0 : 1), "pixel (\(x), \(y))")
        } }
    }

    @Test func motionBoundariesFollowTheSquaresOutline() {
        let (b, _) = Self.flows()
        let mask = OcclusionMask.motionBoundaries(of: b)
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
        let c = OcclusionMask.reliability(of: b, reverse: f)
        let band = OcclusionMask.consistency(of: b, reverse: f), edges = OcclusionMask.motionBoundaries(of: b)
        #expect(c.data == zip(band.data, edges.data).map { min($0, $1) })
        #expect(c.data.allSatisfy { $0 == 0 || $0 == 1 })
        // A flow pointing out of the frame makes the pixels that look outside unreliable.
        let out = FlowField.constant(width: 8, height: 4, u: -2.5, v: 0), back = FlowField.constant(width: 8, height: 4, u: 2.5, v: 0)
        let m = OcclusionMask.consistency(of: out, reverse: back)
        #expect(m.data[0] == 0 && m.data[1] == 0 && m.data[2] == 0 && m.data[3] == 1)
    }
}

@Suite struct OcclusionMaskWithComputedFlowTests {
    /// The same scene rendered as images: a textured square pasted on a textured background
    /// moves 4 px right. With flows computed by DIS, the mask must still find the uncovered band
    /// and leave the background away from the square alone.
    @Test func computedFlowsFindTheDisoccludedBand() throws {
        let (w, h, side, x0, y0, shift) = (80, 64, 24, 20, 20, 4)
        let background = FlowFixtures.texture(width: w, height: h, channels: 3, seed: 31)
        let square = FlowFixtures.texture(width: side, height: side, channels: 3, seed: 32)
        func frame(squareAt sx: Int) -> PlanarImage {
            var img = background
            for c in 0..<3 { for y in 0..<side { for x in 0..<side {
                img.data[(c * h + y0 + y) * w + sx + x] = square.data[(c * side + y) * side + x]
            } } }
            return img
        }
        let previous = frame(squareAt: x0), current = frame(squareAt: x0 + shift)
        let dis = DISFlow(preset: .balanced)
        let back = try dis.flow(from: current, to: previous), fwd = try dis.flow(from: previous, to: current)
        let mask = OcclusionMask.consistency(of: back, reverse: fwd)
        var bandZero = 0, band = 0, farOne = 0, far = 0
        for y in 0..<h { for x in 0..<w {
            let v = mask.data[y * w + x]
            if y >= y0 + 2 && y < y0 + side - 2 && x >= x0 && x < x0 + shift {
                band += 1; if v == 0 { bandZero += 1 }
            }
            let nearSquare = x >= x0 - 4 && x < x0 + shift + side + 4 && y >= y0 - 4 && y < y0 + side + 4
            if !nearSquare { far += 1; if v == 1 { farOne += 1 } }
        } }
        // Measured: 55 of the 80 band pixels (the flow edge is smeared by about a pixel).
        #expect(Double(bandZero) / Double(band) > 0.6, "band marked: \(bandZero)/\(band)")
        #expect(Double(farOne) / Double(far) > 0.97, "background kept: \(farOne)/\(far)")
    }
}
