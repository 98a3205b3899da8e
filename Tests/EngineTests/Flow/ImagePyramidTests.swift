import Foundation
import Testing
@testable import Engine

/// Plain Double references for the image kernels under the flow solver.
@Suite struct ImagePyramidTests {
    static func random(_ w: Int, _ h: Int, _ c: Int = 1, seed: UInt64) -> PlanarImage {
        var rng = FlowTestRandom(seed: seed)
        return PlanarImage(width: w, height: h, channels: c, data: rng.floats(w * h * c, 0, 255))
    }

    @Test func derivativesMatchTheirStencils() {
        let img = Self.random(11, 7, seed: 1)
        let (w, h) = (11, 7)
        func at(_ x: Int, _ y: Int) -> Double { Double(img.data[min(max(y, 0), h - 1) * w + min(max(x, 0), w - 1)]) }
        var dx = [Float](repeating: 0, count: w * h), dy = dx, dx5 = dx, dy5 = dx
        img.data.withUnsafeBufferPointer { s in
            ImageGradient.x(s.baseAddress!, width: w, height: h, into: &dx)
            ImageGradient.y(s.baseAddress!, width: w, height: h, into: &dy)
            ImageGradient.x5(s.baseAddress!, width: w, height: h, into: &dx5)
            ImageGradient.y5(s.baseAddress!, width: w, height: h, into: &dy5)
        }
        for y in 0..<h { for x in 0..<w {
            let p = y * w + x
            #expect(abs(Double(dx[p]) - (at(x + 1, y) - at(x - 1, y)) / 2) < 1e-3)
            #expect(abs(Double(dy[p]) - (at(x, y + 1) - at(x, y - 1)) / 2) < 1e-3)
            #expect(abs(Double(dx5[p]) - (at(x - 2, y) - 8 * at(x - 1, y) + 8 * at(x + 1, y) - at(x + 2, y)) / 12) < 1e-3)
            #expect(abs(Double(dy5[p]) - (at(x, y - 2) - 8 * at(x, y - 1) + 8 * at(x, y + 1) - at(x, y + 2)) / 12) < 1e-3)
        } }
    }

    @Test func gaussianBlurMatchesDirectConvolution() {
        let img = Self.random(9, 13, 2, seed: 2)
        let sigma: Float = 1.1
        let out = img.gaussianBlurred(sigma: sigma)
        let r = Int((3 * sigma).rounded(.up))
        let k = (-r...r).map { exp(-Double($0 * $0) / (2 * Double(sigma * sigma))) }
        let total = k.reduce(0, +)
        for c in 0..<2 { for y in 0..<13 { for x in 0..<9 {
            var s = 0.0
            for (i, ky) in k.enumerated() { for (j, kx) in k.enumerated() {
                let yy = min(max(y + i - r, 0), 12), xx = min(max(x + j - r, 0), 8)
                s += ky * kx * Double(img.data[(c * 13 + yy) * 9 + xx])
            } }
            #expect(abs(Double(out.data[(c * 13 + y) * 9 + x]) - s / (total * total)) < 1e-2)
        } } }
    }

    /// Area averaging when shrinking (each output pixel is the mean over its footprint).
    @Test func shrinkingAveragesFootprints() {
        let img = Self.random(10, 7, seed: 3)
        let out = img.resized(width: 4, height: 3)
        let sx = 10.0 / 4, sy = 7.0 / 3
        for y in 0..<3 { for x in 0..<4 {
            var s = 0.0
            for yy in 0..<7 { for xx in 0..<10 {
                let ox = max(0, min(Double(x + 1) * sx, Double(xx + 1)) - max(Double(x) * sx, Double(xx)))
                let oy = max(0, min(Double(y + 1) * sy, Double(yy + 1)) - max(Double(y) * sy, Double(yy)))
                s += ox * oy * Double(img.data[yy * 10 + xx])
            } }
            #expect(abs(Double(out.data[y * 4 + x]) - s / (sx * sy)) < 1e-2)
        } }
    }

    /// Bilinear interpolation between pixel centres when enlarging.
    @Test func enlargingInterpolatesBilinearly() {
        let img = Self.random(5, 4, seed: 4)
        let out = img.resized(width: 9, height: 7)
        for y in 0..<7 { for x in 0..<9 {
            let fx = min(max((Double(x) + 0.5) * 5 / 9 - 0.5, 0), 4), fy = min(max((Double(y) + 0.5) * 4 / 7 - 0.5, 0), 3)
            let ref = NaiveWarp.sample(img, c: 0, x: fx, y: fy, border: .replicate)
            #expect(abs(Double(out.data[y * 9 + x]) - ref) < 1e-2)
        } }
    }

    @Test func pyramidHalvesEachLevel() {
        let p = ImagePyramid(Self.random(37, 20, 3, seed: 5), levels: 4)
        #expect(p.levels.map(\.width) == [37, 18, 9, 4] && p.levels.map(\.height) == [20, 10, 5, 2])
        #expect(p[3].channels == 3)
    }
}
