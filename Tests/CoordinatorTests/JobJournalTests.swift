import Foundation
import Testing
import Coordinator

@Suite struct JobJournalTests {
    func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vst-journal-\(UUID().uuidString)")
    }

    @Test func resultsAreRecordedOnceAndSurviveAReopen() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            let journal = try JobJournal(url: url, durable: false)
            #expect(try journal.recordStored(.init(chunk: 0, frame: 3)))
            #expect(try journal.recordStored(.init(chunk: 0, frame: 3)) == false)   // same frame twice
            #expect(try journal.recordStored(.init(chunk: 1, frame: 3)))            // other chunk's render
            #expect(try journal.recordEncoded(3))
            #expect(try journal.recordChunkDone(0))
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == "stored 0 3\nstored 1 3\nencoded 3\nchunk-done 0\n")
        let reopened = try JobJournal(url: url, durable: false)
        #expect(reopened.stored == [.init(chunk: 0, frame: 3), .init(chunk: 1, frame: 3)])
        #expect(reopened.encoded == [3] && reopened.doneChunks == [0] && !reopened.isFinished)
        #expect(try reopened.recordStored(.init(chunk: 0, frame: 3)) == false)
    }

    @Test func aTornLastLineIsIgnoredAndOverwritten() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("stored 0 1\nstored 0 2\nstor".utf8).write(to: url)
        let journal = try JobJournal(url: url, durable: false)
        #expect(journal.stored == [.init(chunk: 0, frame: 1), .init(chunk: 0, frame: 2)])
        try journal.recordFinished()
        #expect(try String(contentsOf: url, encoding: .utf8) == "stored 0 1\nstored 0 2\nfinished\n")
    }
}
