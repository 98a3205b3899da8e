import Testing
import Media
import Protocol
@testable import Worker

@Suite struct RendererFactoryTests {
    @Test func methodsDispatchToTheirRenderers() {
        #expect(RendererFactory.renderer(for: .copy) is CopyRenderer)
        #expect((RendererFactory.renderer(for: .sleep(milliseconds: 25)) as? SleepRenderer)?.milliseconds == 25)
        #expect(RendererFactory.renderer(for: .gatys) is GatysChunkRenderer)
        #expect(RendererFactory.renderer(for: .reconet) is ReCoNetChunkRenderer)
    }

    @Test func copyEmitsEveryFrameOrAllButTheWarmStart() throws {
        let frames = (0..<4).map { i in RGBImage(width: 3, height: 1, pixels: [UInt8](repeating: UInt8(i), count: 9)) }
        let spec = TaskSpec(job: 1, chunk: 2, renderStart: 10, ownStart: 11, end: 14, width: 3, height: 1, method: .copy,
                            styleCount: 0, styleWeights: [], frameCount: 4)
        var emitted: [(Int, RGBImage)] = []
        try CopyRenderer().render(ChunkInput(spec: spec, styles: [], frames: frames)) { emitted.append(($0, $1)) }
        #expect(emitted.map(\.0) == [10, 11, 12, 13])
        #expect(emitted.map(\.1) == frames)

        var resumed = spec
        resumed.warmStartFrame = 11
        resumed.frameCount = 3
        emitted = []
        let input = ChunkInput(spec: resumed, styles: [], frames: Array(frames[1...]), warmStart: frames[1])
        try CopyRenderer().render(input) { emitted.append(($0, $1)) }
        #expect(emitted.map(\.0) == [12, 13])
        #expect(emitted.map(\.1) == Array(frames[2...]))
    }
}
