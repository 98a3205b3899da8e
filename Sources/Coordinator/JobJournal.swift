import Foundation

/// What a job has achieved, as an append-only text file in the job's folder, so that a restarted
/// coordinator knows which renders are stored and which frames are encoded.
///
/// One event per line, written and flushed to disk before the coordinator acknowledges the
/// result it records:
///
///     stored CHUNK FRAME     a render of FRAME by CHUNK is in frames/ (see FrameStore)
///     encoded FRAME          FRAME is in the output and its stored renders are deleted
///     chunk-done CHUNK       every frame of CHUNK arrived
///     finished               the output file is complete
///
/// Recording is idempotent: an event already recorded is not written again, so a frame that
/// arrives twice is stored once. A torn last line (a crash mid-write) is ignored on replay.
/// (The job store moves to SQLite with GRDB in a later issue.)
public final class JobJournal {
    public struct Render: Hashable, Sendable {
        public let chunk: Int
        public let frame: Int
        public init(chunk: Int, frame: Int) { self.chunk = chunk; self.frame = frame }
    }

    public let url: URL
    public private(set) var stored: Set<Render> = []
    public private(set) var encoded: Set<Int> = []
    public private(set) var doneChunks: Set<Int> = []
    public private(set) var isFinished = false
    private let handle: FileHandle
    private let durable: Bool

    /// Opens (creating if needed) the journal at `url` and replays it. With `durable`, every
    /// record is fsynced before `record...` returns.
    public init(url: URL, durable: Bool = true) throws(CoordinatorError) {
        self.url = url
        self.durable = durable
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw CoordinatorError.cannotWrite(path: url.path, reason: "cannot create the journal")
            }
        }
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if !text.hasSuffix("\n") { lines = Array(lines.dropLast()) } // torn or empty last line
        do {
            handle = try FileHandle(forWritingTo: url)
            // Rewrite without a torn tail so the next record starts on a line of its own.
            let clean = lines.map { $0 + "\n" }.joined()
            try handle.truncate(atOffset: 0)
            handle.write(Data(clean.utf8))
        } catch {
            throw CoordinatorError.cannotWrite(path: url.path, reason: "\(error)")
        }
        for line in lines { apply(line.split(separator: " ")) }
    }

    deinit { try? handle.close() }

    /// Records that `render` is stored. Returns false (and writes nothing) if it already was.
    @discardableResult
    public func recordStored(_ render: Render) throws -> Bool {
        guard !stored.contains(render) else { return false }
        try append("stored \(render.chunk) \(render.frame)")
        stored.insert(render)
        return true
    }

    @discardableResult
    public func recordEncoded(_ frame: Int) throws -> Bool {
        guard !encoded.contains(frame) else { return false }
        try append("encoded \(frame)")
        encoded.insert(frame)
        return true
    }

    @discardableResult
    public func recordChunkDone(_ chunk: Int) throws -> Bool {
        guard !doneChunks.contains(chunk) else { return false }
        try append("chunk-done \(chunk)")
        doneChunks.insert(chunk)
        return true
    }

    public func recordFinished() throws {
        guard !isFinished else { return }
        try append("finished")
        isFinished = true
    }

    private func append(_ line: String) throws {
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
            if durable { try handle.synchronize() }
        } catch {
            throw CoordinatorError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }

    private func apply(_ fields: [Substring]) {
        switch (fields.first, fields.count) {
        case ("stored", 3): if let c = Int(fields[1]), let f = Int(fields[2]) { stored.insert(Render(chunk: c, frame: f)) }
        case ("encoded", 2): if let f = Int(fields[1]) { encoded.insert(f) }
        case ("chunk-done", 2): if let c = Int(fields[1]) { doneChunks.insert(c) }
        case ("finished", 1): isFinished = true
        default: break
        }
    }
}
