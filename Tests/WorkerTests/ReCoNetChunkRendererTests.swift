import Engine
import Foundation
import Media
import Protocol
import Testing
@testable import Worker

/// `reconet` on the worker: the model arrives once, is checked by hash, and every frame is the
/// network's own stylisation of its input.
@Suite struct ReCoNetChunkRendererTests {
    /// A tiny network (widths 2/3/4, one residual block) as a model file's bytes.
    static func tinyModel(seed: UInt64 = 7) -> (bytes: [UInt8], reference: ModelReference) {
        var rng = SplitMix64(seed: seed)
        let network = ReCoNet(configuration: .init(widths: [2, 3, 4], residualBlocks: 1), using: &rng)
        let bytes = StyleModelFile(network: network, styleName: "test", step: 3, training: [:]).encoded()
        return (bytes, ModelReference(sha256: SHA256.hex(SHA256.hash(bytes)), byteCount: bytes.count, attached: true))
    }

    static func chunk(model: (bytes: [UInt8], reference: ModelReference)?, attach: Bool, frames: Int = 3,
                      warm: Bool = false) -> ChunkInput {
        var rng = SplitMix64(seed: 11)
        let images = (0..<frames).map { _ in
            RGBImage(width: 19, height: 17, pixels: rng.bytes(19 * 17 * 3))
        }
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: 40, ownStart: 40, end: 40 + frames, width: 19, height: 17,
                            method: .reconet, styleCount: 0, styleWeights: [], frameCount: frames,
                            warmStartFrame: warm ? 40 : nil, model: model.map { $0.reference.with(attached: attach) })
        return ChunkInput(spec: spec, styles: [], frames: images, warmStart: warm ? images[0] : nil,
                          model: attach ? model?.bytes : nil)
    }

    static func render(_ chunk: ChunkInput, with cache: ModelCache) throws -> [(Int, RGBImage)] {
        var out: [(Int, RGBImage)] = []
        try ReCoNetChunkRenderer(models: cache).render(chunk) { out.append(($0, $1)) }
        return out
    }

    @Test func everyFrameIsTheNetworksStylisationOfItsInput() throws {
        let model = Self.tinyModel()
        let chunk = Self.chunk(model: model, attach: true)
        let rendered = try Self.render(chunk, with: ModelCache())
        let reference = try StyleModelFile(decoding: model.bytes).makeNetwork()
        #expect(rendered.map(\.0) == [40, 41, 42])
        for (i, (_, image)) in rendered.enumerated() {
            let expected = reference.stylize(packedRGB: chunk.frames[i].pixels, width: 19, height: 17)
            #expect(image.width == 19 && image.height == 17)
            #expect(image.pixels == expected)
        }
        // Not the identity: the network changed the frames.
        #expect(rendered[0].1.pixels != chunk.frames[0].pixels)
    }

    @Test func aLaterChunkNamesTheModelByHashOnly() throws {
        let model = Self.tinyModel(), cache = ModelCache()
        let first = try Self.render(Self.chunk(model: model, attach: true), with: cache)
        #expect(cache.contains(model.reference.sha256))
        let second = try Self.render(Self.chunk(model: model, attach: false), with: cache)
        #expect(second.map(\.1.pixels) == first.map(\.1.pixels))
    }

    @Test func aResumedChunkGoesOnAfterItsWarmStartFrame() throws {
        let rendered = try Self.render(Self.chunk(model: Self.tinyModel(), attach: true, warm: true), with: ModelCache())
        #expect(rendered.map(\.0) == [41, 42])
    }

    /// A stabilized chunk of a panning texture: from its second frame on, frames are blended with
    /// the previous output (not the network's own any more), and a chunk resumed from a frame it
    /// had sent goes on exactly as the uninterrupted one did.
    @Test func aStabilizedChunkResumedFromASentFrameGoesOnAsUninterrupted() throws {
        let model = Self.tinyModel(), cache = ModelCache()
        let frames = MovingTexture.frames(count: 5, width: 24, height: 20, step: 1)
        func chunk(from first: Int, warm: RGBImage?) -> ChunkInput {
            let spec = TaskSpec(job: 1, chunk: 0, renderStart: 40, ownStart: 40, end: 45, width: 24, height: 20,
                                method: .reconet, styleCount: 0, styleWeights: [], frameCount: 5 - first,
                                warmStartFrame: warm == nil ? nil : 40 + first, model: model.reference,
                                reconet: ReCoNetParameters(stabilize: 0.6))
            return ChunkInput(spec: spec, styles: [], frames: Array(frames[first...]), warmStart: warm, model: model.bytes)
        }
        let whole = try Self.render(chunk(from: 0, warm: nil), with: cache)
        let network = try StyleModelFile(decoding: model.bytes).makeNetwork()
        let raw = frames.map { network.stylize(packedRGB: $0.pixels, width: 24, height: 20) }
        #expect(whole.map(\.0) == [40, 41, 42, 43, 44])
        #expect(whole[0].1.pixels == raw[0])
        #expect(whole[2].1.pixels != raw[2] && whole[4].1.pixels != raw[4])
        let resumed = try Self.render(chunk(from: 2, warm: whole[2].1), with: cache)
        #expect(resumed.map(\.0) == [43, 44])
        #expect(resumed.map(\.1.pixels) == whole[3...].map(\.1.pixels))
    }

    @Test func refusesAModelItWasNotSentOrWhoseBytesDoNotMatch() throws {
        let model = Self.tinyModel()
        #expect(throws: WorkerError.badTask("model \(model.reference.sha256) was not sent to this worker")) {
            try Self.render(Self.chunk(model: model, attach: false), with: ModelCache())
        }
        var tampered = model.bytes
        tampered[100] ^= 1
        let cache = ModelCache()
        #expect(throws: WorkerError.self) { try cache.insert(tampered, as: model.reference) }
        #expect(!cache.contains(model.reference.sha256))
        #expect(throws: WorkerError.badTask("method reconet needs a model (vst-coord submit --model FILE.reconet)")) {
            try Self.render(Self.chunk(model: nil, attach: false), with: cache)
        }
    }

    @Test func refusesFramesTooSmallForTheNetwork() throws {
        var chunk = Self.chunk(model: Self.tinyModel(), attach: true)
        chunk.spec.width = 19
        chunk.spec.height = 15
        #expect(throws: WorkerError.badTask("reconet needs frames of at least 16x16, the task's are 19x15")) {
            try Self.render(chunk, with: ModelCache())
        }
    }

    @Test func keepsOnlyTheNewestModels() throws {
        let cache = ModelCache(capacity: 1)
        let a = Self.tinyModel(seed: 1), b = Self.tinyModel(seed: 2)
        try cache.insert(a.bytes, as: a.reference)
        try cache.insert(b.bytes, as: b.reference)
        #expect(!cache.contains(a.reference.sha256))
        #expect(cache.contains(b.reference.sha256))
    }
}
