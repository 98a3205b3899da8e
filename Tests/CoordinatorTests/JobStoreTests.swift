import Foundation
import Testing
import Protocol
@testable import Coordinator

/// The SQLite job store: migrations, idempotent results, state that survives a reopen.
@Suite struct JobStoreTests {
    static func request(_ name: String) -> JobRequest {
        JobRequest(input: "/films/\(name).mkv", output: "/out/\(name).mkv", styles: [], method: .copy, chunk: 8, overlap: 2,
                   crf: 18, preset: "medium", lossless: false)
    }

    @Test func jobsFramesAndChunksSurviveAReopen() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vst.sqlite").path
        do {
            let store = try JobStore(path: path, durable: false)
            #expect(try store.insertJob(Self.request("a"), priority: 0) == 1)
            #expect(try store.insertJob(Self.request("b"), priority: 5) == 2)
            let journal = JobJournal(store: store, job: 1)
            #expect(try journal.recordStored(.init(chunk: 0, frame: 3)))
            #expect(try journal.recordStored(.init(chunk: 0, frame: 3)) == false)    // same frame twice: counted, stored once
            #expect(try journal.recordStored(.init(chunk: 1, frame: 3)))             // the other chunk's render
            #expect(try journal.recordStored(.init(chunk: 0, frame: 4)))
            try journal.recordChunkDone(0)
            try journal.recordSealed(0, released: [.init(chunk: 0, frame: 4)])
            try store.setState(1, .running, message: "running")
            let failures = try store.recordChunkFailure(job: 1, chunk: 1, worker: "w1", reason: "out of memory")
            #expect(failures == ["w1: out of memory"])
            #expect(try store.recordChunkFailure(job: 1, chunk: 1, worker: "w2", reason: "bad\nthing") == ["w1: out of memory", "w2: bad thing"])
        }
        let store = try JobStore(path: path, durable: false)   // migrations run again: nothing to do
        #expect(store.jobs().map(\.id) == [1, 2])
        #expect(store.jobs()[0].state == .running && store.jobs()[0].request == Self.request("a"))
        #expect(store.jobs()[1].priority == 5 && store.jobs()[1].state == .queued)
        let journal = JobJournal(store: store, job: 1)
        #expect(journal.stored == [.init(chunk: 0, frame: 3), .init(chunk: 1, frame: 3)])
        #expect(journal.doneChunks == [0] && journal.sealedChunks == [0])
        #expect(store.arrivals(of: 1) == [.init(chunk: 0, frame: 3): 2, .init(chunk: 1, frame: 3): 1, .init(chunk: 0, frame: 4): 1])
        #expect(store.chunks(of: 1)[1]?.failures == 2)
        #expect(store.events(of: 1).map(\.kind) == ["submitted", "running", "chunk-failed", "chunk-failed"])
        try store.resetProgress(of: 1)
        #expect(JobJournal(store: store, job: 1).stored.isEmpty)
        // Ids are never reused, even after the newest job is deleted.
        store.deleteJob(2)
        #expect(try store.insertJob(Self.request("c"), priority: 0) == 3)
    }

    @Test func theSchemaIsVersionedByMigrations() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vst.sqlite").path
        _ = try JobStore(path: path, durable: false)
        let reopened = try JobStore(path: path, durable: true)
        #expect(reopened.appliedMigrations == ["v1: jobs, chunks, frames, workers, events"])
    }
}
