import Foundation
import Testing
import Protocol
@testable import Coordinator

/// A worker that encodes segments but predates colour (its READY lists `segment`, not
/// `colour-segment`) encodes BT.709 limited whatever the film: it may take a BT.709 limited
/// film's chunks, and no other film's.
@Suite struct ColourSegmentFeatureTests {
    @Test func onlyAFilmInAnotherColourNeedsAWorkerThatKeepsIt() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: "tcp://127.0.0.1:*",
                                           settings: .init(lease: .seconds(10), dataDirectory: folder.appendingPathComponent("data"), durable: false))
        defer { server.shutdown() }
        func featuresNeeded(_ clip: FlatColourClip) throws -> [String]? {
            let input = try clip.make(in: folder, frames: 4)
            let job = try server.addJob(JobRequest(input: input, output: folder.appendingPathComponent("\(clip.matrix)-\(clip.range).mkv").path,
                                                   styles: [], method: .copy, chunk: 4, overlap: 0, crf: 18, preset: "ultrafast"))
            return server.jobs[job]?.featuresNeeded(chunk: 0)
        }
        #expect(try featuresNeeded(.bt709Limited) == [WorkerHello.Feature.segment])
        #expect(try featuresNeeded(.bt601Limited) == [WorkerHello.Feature.segment, WorkerHello.Feature.colourSegment])
        #expect(try featuresNeeded(.bt709Full) == [WorkerHello.Feature.segment, WorkerHello.Feature.colourSegment])
    }
}
