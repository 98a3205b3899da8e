import Engine
import Foundation
import Protocol

/// The ReCoNet models a worker has been sent, by hash, so that the coordinator sends each model
/// once per worker per job instead of with every TASK (`ModelReference`).
///
/// Bytes are checked against their hash before they are decoded, and decoded once; a network
/// (which keeps per-layer state while it runs) is lent to one render at a time and handed back,
/// so two chunks rendering at once would each get their own. The newest `capacity` models stay.
public final class ModelCache: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var files: [(sha256: String, file: StyleModelFile)] = []
    private var idle: [String: [ReCoNet]] = [:]

    public init(capacity: Int = 2) {
        precondition(capacity >= 1, "ModelCache needs room for one model")
        self.capacity = capacity
    }

    /// True when the model named by `sha256` is held.
    public func contains(_ sha256: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return files.contains { $0.sha256 == sha256 }
    }

    /// Checks and decodes `bytes` as the model `reference` names, and keeps it.
    /// (`Message.decodeTask` has checked the size already; the hash covers it too.)
    public func insert(_ bytes: [UInt8], as reference: ModelReference) throws(WorkerError) {
        let digest = SHA256.hex(SHA256.hash(bytes))
        guard digest == reference.sha256 else {
            throw .badTask("model bytes hash to \(digest), the task names \(reference.sha256)")
        }
        if contains(digest) { return }
        let file: StyleModelFile
        do { file = try StyleModelFile(decoding: bytes) } catch { throw .badTask("model: \(error)") }
        lock.lock()
        files.append((digest, file))
        while files.count > capacity {
            let evicted = files.removeFirst()
            idle[evicted.sha256] = nil
        }
        lock.unlock()
    }

    /// Runs `body` with a network of model `sha256`, built on first use and kept for the next
    /// render. Throws `.badTask` when the model is not held (the coordinator believed this worker
    /// had it: it sends it again after this failure).
    public func withNetwork<T>(_ sha256: String, _ body: (ReCoNet) throws -> T) throws -> T {
        lock.lock()
        guard let file = files.first(where: { $0.sha256 == sha256 })?.file else {
            lock.unlock()
            throw WorkerError.badTask("model \(sha256) was not sent to this worker")
        }
        let lent = idle[sha256]?.popLast()
        lock.unlock()
        let network: ReCoNet
        if let lent { network = lent } else {
            do { network = try file.makeNetwork() } catch { throw WorkerError.badTask("model: \(error)") }
        }
        defer {
            lock.lock()
            if files.contains(where: { $0.sha256 == sha256 }) { idle[sha256, default: []].append(network) }
            lock.unlock()
        }
        return try body(network)
    }
}
