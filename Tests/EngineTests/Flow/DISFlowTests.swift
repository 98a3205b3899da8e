import Foundation
import Media
import Testing
@testable import Engine

@Suite struct DISFlowTests {
    /// Frame 2 is frame 1's texture moved 2 px right: every interior vector must be (2, 0).
    @Test(arguments: FlowPreset.allCases)
    func recoversAnExactTwoPixelShift(preset: FlowPreset) throws {
        let w = 96, h = 72
        let big = FlowFixtures.texture(width: w + 2, height: h, channels: 3, seed: 21)
        let first = FlowFixtures.crop(big, x0: 2, y0: 0, width: w, height: h)
        let second = FlowFixtures.crop(big, x0: 0, y0: 0, width: w, height: h)
        let flow = try DISFlow(preset: preset).flow(from: first, to: second)
        var errors: [Float] = []
        for y in 4..<(h - 4) { for x in 4..<(w - 4) {
            let p = y * w + x
            errors.append(((flow.u[p] - 2) * (flow.u[p] - 2) + flow.v[p] * flow.v[p]).squareRoot())
        } }
        let mean = errors.reduce(0, +) / Float(errors.count)
        #expect(mean < 0.05, "mean endpoint error \(mean)")
        #expect(errors.sorted()[errors.count * 9 / 10] < 0.1)
    }

    @Test func identicalFramesGiveZeroFlow() throws {
        let img = FlowFixtures.texture(width: 45, height: 33, seed: 4)
        let flow = try DISFlow(preset: .balanced).flow(from: img, to: img)
        #expect(flow.u.allSatisfy { abs($0) < 0.01 } && flow.v.allSatisfy { abs($0) < 0.01 })
    }

    @Test func handlesTinyAndMismatchedFrames() throws {
        let tiny = FlowFixtures.texture(width: 5, height: 3, seed: 1)
        let flow = try DISFlow(preset: .accurate).flow(from: tiny, to: tiny)
        #expect(flow.width == 5 && flow.height == 3 && flow.u.allSatisfy(\.isFinite))
        #expect(throws: FlowError.self) { try DISFlow().flow(from: tiny, to: FlowFixtures.texture(width: 6, height: 3, seed: 1)) }
        let dot = PlanarImage(width: 1, height: 1, channels: 1)
        #expect(throws: FlowError.tooSmall(width: 1, height: 1)) { try DISFlow().flow(from: dot, to: dot) }
        let twoChannels = PlanarImage(width: 4, height: 4, channels: 2)
        #expect(throws: FlowError.unsupportedChannels(2)) { try DISFlow().flow(from: twoChannels, to: twoChannels) }
        // Long thin frames: fewer than one patch across, or just one.
        for (w, h) in [(3, 100), (100, 3), (8, 9), (2, 2), (9, 64)] {
            for preset in FlowPreset.allCases {
                let a = FlowFixtures.texture(width: w, height: h, channels: 3, seed: 5)
                let f = try DISFlow(preset: preset).flow(from: a, to: a)
                #expect(f.width == w && f.height == h && f.u.allSatisfy { abs($0) < 0.05 } && f.v.allSatisfy { abs($0) < 0.05 }, "\(w)x\(h) \(preset)")
            }
        }
    }

    /// The 50x50 FlyingChairs crop from ../shared. The bound is what the balanced preset
    /// measured (0.588 px) plus a margin; OpenCV's DeepFlow gets 0.696 and DIS 0.898.
    @Test(.enabled(if: FlowFixtures.smallChairs != nil, "needs ../shared/flow/tiny_mmflow_chairs_50x50"))
    func smallChairsPairIsAccurate() throws {
        let dir = try #require(FlowFixtures.smallChairs)
        func load(_ name: String) throws -> PlanarImage {
            let img = try ImageIO.load(path: dir.appendingPathComponent(name).path)
            return PlanarImage(packedRGB: img.pixels, width: img.width, height: img.height)
        }
        let truth = try FloFile.read(path: dir.appendingPathComponent("flow10.flo").path)
        let flow = try DISFlow(preset: .balanced).flow(from: try load("frame10.png"), to: try load("frame11.png"))
        let epe = try #require(flow.averageEndpointError(to: truth))
        #expect(epe < 0.68, "EPE \(epe)")
    }
}
