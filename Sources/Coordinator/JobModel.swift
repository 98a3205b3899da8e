import Engine
import Foundation
import Protocol

/// A `reconet` job's network as the coordinator sends it: the model file's bytes, checked once
/// when the job is created, and the workers that have been sent them in this job.
///
/// Each worker gets the bytes with its first TASK of the job and only the hash after that
/// (`ModelReference`). A worker that fails a chunk, leaves, or could not be sent its TASK is
/// forgotten, so its next TASK carries the model again: a worker that restarted or evicted the
/// model never fails twice for want of it.
struct JobModel {
    let bytes: [UInt8]
    let reference: ModelReference
    private var holders: Set<WorkerID> = []

    /// Reads and checks the model at `path` (magic, version, checksum, every tensor in place).
    init(path: String) throws(CoordinatorError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badInput(path: path, reason: "cannot read the model")
        }
        let bytes = [UInt8](data)
        guard bytes.count <= ModelReference.maxByteCount else {
            throw .badInput(path: path, reason: "model is \(bytes.count) bytes, more than \(ModelReference.maxByteCount)")
        }
        do { _ = try StyleModelFile(decoding: bytes).makeNetwork() } catch {
            throw .badInput(path: path, reason: "\(error)")
        }
        self.bytes = bytes
        reference = ModelReference(sha256: SHA256.hex(SHA256.hash(bytes)), byteCount: bytes.count, attached: false)
    }

    /// The reference for `worker`'s next TASK, and the bytes when they must travel with it.
    mutating func next(for worker: WorkerID) -> (reference: ModelReference, bytes: [UInt8]?) {
        if holders.insert(worker).inserted { return (reference.with(attached: true), bytes) }
        return (reference, nil)
    }

    mutating func forget(_ worker: WorkerID) { holders.remove(worker) }
}
