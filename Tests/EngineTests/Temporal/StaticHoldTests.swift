import Engine
import Testing

/// `StaticHold`: still pixels keep their paint however the renders drift, anything that changes
/// (and the strokes next to it) is repainted, and a change that adds up slowly is repainted
/// once it is large enough.
@Suite struct StaticHoldTests {
    static let (width, height) = (20, 16)

    /// A planar RGB image, 0...255, from a function of (x, y, channel).
    static func image(_ value: (Int, Int, Int) -> Float) -> PlanarImage {
        var data = [Float](repeating: 0, count: width * height * 3)
        for c in 0..<3 { for y in 0..<height { for x in 0..<width { data[(c * height + y) * width + x] = value(x, y, c) } } }
        return PlanarImage(width: width, height: height, channels: 3, data: data)
    }

    static func at(_ image: PlanarImage, _ x: Int, _ y: Int, _ c: Int) -> Float { image.data[(c * height + y) * width + x] }

    /// A render that drifts a little more every frame everywhere, as a re-optimised chain does.
    static func render(_ t: Int) -> PlanarImage {
        var rng = SplitMix64(seed: UInt64(t + 7))
        return image { x, y, c in 100 + Float(x + 2 * y + 3 * c) + Float(t) * 1.5 + Float(rng.next() % 5) }
    }

    @Test func aStillSceneKeepsItsFirstPaintWhileTheRendersDrift() {
        var rng = SplitMix64(seed: 3)
        let scene = Self.image { x, y, c in Float((x * 13 + y * 7 + c * 5) % 200) }
        var hold = StaticHold()
        let first = hold.next(input: scene, raw: Self.render(0))
        #expect(first == Self.render(0))
        for t in 1..<12 {
            // Compression-like noise of at most 1 level on the input.
            let noisy = PlanarImage(width: scene.width, height: scene.height, channels: 3,
                                    data: scene.data.map { $0 + Float(Int(rng.next() % 3) - 1) })
            let out = hold.next(input: noisy, raw: Self.render(t))
            #expect(out == first, "frame \(t) moved a still pixel")
        }
    }

    @Test func whatMovesAndItsNeighbourhoodAreRepaintedTheRestIsKept() {
        let radius = 2
        var hold = StaticHold(still: 3, radius: radius)
        let before = Self.image { _, _, _ in 50 }
        // A 2x2 object appears at (8...9, 6...7).
        let after = Self.image { x, y, _ in (8...9).contains(x) && (6...7).contains(y) ? 220 : 50 }
        _ = hold.next(input: before, raw: Self.render(0))
        let out = hold.next(input: after, raw: Self.render(1))
        for y in 0..<Self.height { for x in 0..<Self.width { for c in 0..<3 {
            let near = (8 - radius...9 + radius).contains(x) && (6 - radius...7 + radius).contains(y)
            let expected = near ? Self.at(Self.render(1), x, y, c) : Self.at(Self.render(0), x, y, c)
            #expect(Self.at(out, x, y, c) == expected, "pixel (\(x), \(y)) channel \(c)")
        } } }
    }

    @Test func aSlowChangeIsRepaintedOnceItAddsUp() {
        var hold = StaticHold(still: 3, moving: 9, radius: 0)
        _ = hold.next(input: Self.image { _, _, _ in 100 }, raw: Self.render(0))
        // The light rises 2 levels a frame: under the threshold each frame, not in sum.
        var repaintedAt: Int?
        for t in 1...10 {
            let out = hold.next(input: Self.image { _, _, _ in 100 + 2 * Float(t) }, raw: Self.render(t))
            if repaintedAt == nil, out != Self.render(0) { repaintedAt = t }
        }
        // 4 levels (frame 2) is past `still`: the hold starts letting the new render in.
        #expect(repaintedAt == 2)
    }

    @Test func anOutputReplacedAfterTheFactIsWhatLaterFramesHold() {
        let scene = Self.image { x, y, _ in Float(x + y) }
        var hold = StaticHold()
        _ = hold.next(input: scene, raw: Self.render(0))
        _ = hold.next(input: scene, raw: Self.render(1))
        let pulled = Self.render(7)
        hold.replaceLast(with: pulled)
        #expect(hold.next(input: scene, raw: Self.render(2)) == pulled)
    }

    @Test func theWeightFallsLinearlyFromStillToMoving() {
        // One pixel, no neighbourhood: hold weight 1 at d <= 3, 0 at d >= 9, 0.5 at d = 6.
        func held(_ d: Float) -> Float {
            var hold = StaticHold(still: 3, moving: 9, radius: 0)
            let one = { (v: Float) in PlanarImage(width: 1, height: 1, channels: 3, data: [v, v, v]) }
            _ = hold.next(input: one(0), raw: one(100))
            return hold.next(input: one(d), raw: one(200)).data[0]
        }
        #expect(held(0) == 100)
        #expect(held(3) == 100)
        #expect(abs(held(6) - 150) < 1e-3)
        #expect(held(9) == 200)
        #expect(held(40) == 200)
    }

    @Test func theWidestDifferenceMatchesANaiveWindowMaximum() {
        var rng = SplitMix64(seed: 11)
        let (w, h, r) = (9, 7, 2)
        let values = (0..<w * h).map { _ in Float(rng.next() % 1000) }
        let got = StaticHold.widest(values, width: w, height: h, radius: r)
        for y in 0..<h { for x in 0..<w {
            var m: Float = -1
            for yy in max(0, y - r)...min(h - 1, y + r) { for xx in max(0, x - r)...min(w - 1, x + r) { m = max(m, values[yy * w + xx]) } }
            #expect(got[y * w + x] == m)
        } }
    }
}
