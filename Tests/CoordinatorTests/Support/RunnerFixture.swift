import Foundation
import Media
import Protocol
@testable import Coordinator

/// A `JobRunner` over a small lossless film in a temporary folder, driven without processes:
/// results go straight to `accept`, as the coordinator's loop would store them.
struct RunnerFixture {
    let folder: URL
    let runner: JobRunner
    let store: JobStore

    /// A `frames`-frame 16x8 film (frame i filled with 10 * i), planned as `chunk`/`overlap`
    /// and handed over as `handover` says.
    init(frames: Int = 16, chunk: Int = 4, overlap: Int = 1, method: RenderMethod = .copy, seamTail: Int? = nil,
         seamRefine: Bool? = nil, handover: Handover? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = folder.appendingPathComponent("in.mkv").path
        let writer = try VideoWriter(path: input, width: 16, height: 8, frameRate: Rational(25, 1), timeBase: Rational(1, 25),
                                     options: EncoderOptions(lossless: true))
        for i in 0..<frames {
            try writer.write(RGBImage(width: 16, height: 8, pixels: [UInt8](repeating: UInt8(10 * i % 256), count: 16 * 8 * 3)), pts: Int64(i))
        }
        try writer.finish()
        let request = JobRequest(input: input, output: folder.appendingPathComponent("out.mkv").path, styles: [], method: method,
                                 gatys: method == .gatys ? GatysParameters() : nil,
                                 chunk: chunk, overlap: overlap, crf: 18, preset: "medium", lossless: true,
                                 seamTail: seamTail, seamRefine: seamRefine, handover: handover)
        store = try JobStore(path: folder.appendingPathComponent("vst.sqlite").path, durable: false)
        let id = try store.insertJob(request, priority: 0)
        runner = try JobRunner(id: id, request: request, directory: folder.appendingPathComponent("job"), store: store, durable: false)
        try runner.start()
    }

    /// A render of the film's size, every byte `value`.
    static func payload(_ value: UInt8) -> [UInt8] {
        FramePayload.encode(width: 16, height: 8, pixels: [UInt8](repeating: value, count: 16 * 8 * 3))
    }

    /// Stores a render of every frame of chunk (or seam task) `index` from `first` on.
    func deliver(_ index: Int, from first: Int? = nil, value: UInt8 = 100) throws {
        let range = runner.renderRange(of: index)!
        for frame in (first ?? range.lowerBound)..<range.upperBound {
            _ = try runner.accept(chunk: index, absoluteFrame: frame, payload: Self.payload(value))
        }
    }

    /// Encodes until the encoder waits for a render (or the join is under way).
    func assembleAll() throws {
        while try runner.assemble() > 0 {}
    }

    /// Bytes of the files in the job folder's `frames/` and `segments/`, walked (what the
    /// ledger must agree with without walking).
    var bytesOnDisk: Int {
        ["frames", "segments"].reduce(0) { sum, name in
            let folder = runner.directory.appendingPathComponent(name)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return sum + names.filter { !$0.hasPrefix(".") }.reduce(0) { sum, file in
                sum + (JobRunner.fileSize(folder.appendingPathComponent(file).path) ?? 0)
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
