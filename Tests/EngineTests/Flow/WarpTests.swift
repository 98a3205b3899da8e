import Foundation
import Testing
@testable import Engine

/// Plain bilinear sampling in Double: the reference for `Warp`.
enum NaiveWarp {
    static func sample(_ img: PlanarImage, c: Int, x: Double, y: Double, border: Warp.Border) -> Double {
        let w = img.width, h = img.height
        func at(_ xi: Int, _ yi: Int) -> Double {
            switch border {
            case .zero: return xi < 0 || yi < 0 || xi >= w || yi >= h ? 0 : Double(img.data[(c * h + yi) * w + xi])
            case .replicate: return Double(img.data[(c * h + min(max(yi, 0), h - 1)) * w + min(max(xi, 0), w - 1)])
            }
        }
        var sx = x, sy = y
        if border == .replicate { sx = min(max(sx, 0), Double(w - 1)); sy = min(max(sy, 0), Double(h - 1)) }
        let x0 = Int(floor(sx)), y0 = Int(floor(sy)), fx = sx - floor(sx), fy = sy - floor(sy)
        return (1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0) + (1 - fx) * fy * at(x0, y0 + 1) + fx * fy * at(x0 + 1, y0 + 1)
    }

    static func warp(_ img: PlanarImage, _ flow: FlowField, border: Warp.Border) -> [Double] {
        var out: [Double] = []
        for c in 0..<img.channels { for y in 0..<img.height { for x in 0..<img.width {
            let p = y * img.width + x
            out.append(sample(img, c: c, x: Double(x) + Double(flow.u[p]), y: Double(y) + Double(flow.v[p]), border: border))
        } } }
        return out
    }
}

@Suite struct WarpTests {
    static func randomCase(seed: UInt64, width: Int = 7, height: Int = 5, channels: Int = 3) -> (PlanarImage, FlowField) {
        var rng = FlowTestRandom(seed: seed)
        let img = PlanarImage(width: width, height: height, channels: channels, data: rng.floats(width * height * channels))
        let flow = FlowField(width: width, height: height, u: rng.floats(width * height, -3, 3), v: rng.floats(width * height, -3, 3))
        return (img, flow)
    }

    @Test(arguments: [Warp.Border.replicate, .zero])
    func matchesNaiveBilinearOnOddShapes(border: Warp.Border) {
        let (img, flow) = Self.randomCase(seed: 11)
        let fast = Warp.backward(img, by: flow, border: border)
        let ref = NaiveWarp.warp(img, flow, border: border)
        let worst = zip(fast.data, ref).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-5)
    }

    /// frame2 = frame1 moved by a known transform T; warping frame2 by the flow x -> T(x) - x gives frame1 back.
    @Test(arguments: ["translation", "rotation", "zoom"])
    func reproducesTheImageInsideTheFrame(motion: String) {
        let w = 61, h = 47
        func g(_ x: Double, _ y: Double) -> Double { 120 + 60 * sin(0.21 * x + 0.13 * y) + 40 * cos(0.17 * y - 0.07 * x) }
        let cx = Double(w) / 2, cy = Double(h) / 2
        func T(_ x: Double, _ y: Double) -> (Double, Double) {
            switch motion {
            case "translation": return (x + 3.3, y - 1.7)
            case "rotation":
                let a = 4 * Double.pi / 180
                return (cx + cos(a) * (x - cx) - sin(a) * (y - cy), cy + sin(a) * (x - cx) + cos(a) * (y - cy))
            default: return (cx + 1.08 * (x - cx), cy + 1.08 * (y - cy))
            }
        }
        // Where T is invertible in closed form is not needed: frame2 is defined through T^-1 numerically.
        func Tinv(_ x: Double, _ y: Double) -> (Double, Double) {
            var p = (x, y)
            for _ in 0..<50 { let t = T(p.0, p.1); p = (p.0 - (t.0 - x), p.1 - (t.1 - y)) }
            return p
        }
        var f1 = PlanarImage(width: w, height: h, channels: 1), f2 = f1
        var flow = FlowField(width: w, height: h)
        for y in 0..<h { for x in 0..<w {
            let p = y * w + x
            f1.data[p] = Float(g(Double(x), Double(y)))
            let s = Tinv(Double(x), Double(y))
            f2.data[p] = Float(g(s.0, s.1))
            let t = T(Double(x), Double(y))
            flow.u[p] = Float(t.0 - Double(x)); flow.v[p] = Float(t.1 - Double(y))
        } }
        let back = Warp.backward(f2, by: flow)
        var worst: Float = 0, count = 0
        for y in 0..<h { for x in 0..<w {
            let p = y * w + x
            let sx = Float(x) + flow.u[p], sy = Float(y) + flow.v[p]
            guard sx >= 0, sy >= 0, sx <= Float(w - 1), sy <= Float(h - 1) else { continue }
            worst = max(worst, abs(back.data[p] - f1.data[p])); count += 1
        } }
        #expect(count > w * h / 2)
        #expect(worst < 1.5)   // bilinear interpolation error of this smooth pattern (range 0...220)
        // Outside the frame the mask says so.
        let inside = Warp.insideMask(flow)
        #expect(inside.filter { $0 == 1 }.count == count)
    }

    @Test(arguments: [Warp.Border.replicate, .zero])
    func backwardPassMatchesFiniteDifferences(border: Warp.Border) {
        let (img, flow) = Self.randomCase(seed: 5, width: 9, height: 7, channels: 2)
        var rng = FlowTestRandom(seed: 6)
        let r = rng.floats(img.data.count)
        func loss(_ x: PlanarImage) -> Double {
            zip(Warp.backward(x, by: flow, border: border).data, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let grad = Warp.backwardGradient(PlanarImage(width: 9, height: 7, channels: 2, data: r), by: flow, border: border)
        let h: Float = 1e-2
        for i in stride(from: 0, to: img.data.count, by: 3) {
            var plus = img, minus = img
            plus.data[i] += h; minus.data[i] -= h
            let fd = (loss(plus) - loss(minus)) / Double(2 * h)
            #expect(abs(fd - Double(grad.data[i])) < 2e-3 * max(1, abs(fd)), "element \(i)")
        }
    }

    @Test func featureMapsOfManyChannelsWarpLikeOnePlane() {
        let (img, flow) = Self.randomCase(seed: 9, width: 6, height: 5, channels: 17)
        let all = Warp.backward(img, by: flow, border: .zero)
        let one = Warp.backward(img.channel(13), by: flow, border: .zero)
        #expect(Array(all.data[(13 * 30)..<(14 * 30)]) == one.data)
    }

    @Test func resizedFlowScalesVectorsAndAveragesFootprints() {
        let flow = FlowField.constant(width: 8, height: 6, u: 3, v: -2)
        let half = flow.resized(width: 4, height: 3)
        #expect(half.u.allSatisfy { abs($0 - 1.5) < 1e-6 } && half.v.allSatisfy { abs($0 + 1) < 1e-6 })
        var rng = FlowTestRandom(seed: 2)
        let random = FlowField(width: 6, height: 4, u: rng.floats(24), v: rng.floats(24))
        let small = random.resized(width: 3, height: 2)
        for y in 0..<2 { for x in 0..<3 {
            var s = 0.0
            for dy in 0..<2 { for dx in 0..<2 { s += Double(random.u[(2 * y + dy) * 6 + 2 * x + dx]) } }
            #expect(abs(Double(small.u[y * 3 + x]) - s / 4 * 0.5) < 1e-5)
        } }
    }
}
