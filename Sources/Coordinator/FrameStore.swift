import Foundation

/// The lossless copies of rendered frames in a job's folder, kept from the moment a result
/// arrives until the assembler has encoded the frame.
///
/// Format: each render is one file `frames/CHUNK-FRAME.rgb.lz4` holding exactly the
/// `FramePayload` bytes that came over the wire (12-byte size prefix, then the packed RGB pixels
/// as one LZ4 block). Storing the wire bytes costs no re-encoding, is lossless, decodes several
/// times faster than PNG and is about as small for rendered frames. Two files may exist per frame
/// inside an overlap (one per chunk), which the stitcher blends.
public struct FrameStore: Sendable {
    public let directory: URL

    public init(directory: URL) throws(CoordinatorError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CoordinatorError.cannotWrite(path: directory.path, reason: "\(error)")
        }
    }

    public func url(chunk: Int, frame: Int) -> URL {
        directory.appendingPathComponent("\(chunk)-\(frame).rgb.lz4")
    }

    /// Writes a render durably (written to a temporary name, fsynced, renamed), so that a journal
    /// line recorded afterwards never points at a half-written file.
    public func write(_ payload: [UInt8], chunk: Int, frame: Int, durable: Bool = true) throws {
        let target = url(chunk: chunk, frame: frame)
        let temporary = directory.appendingPathComponent(".\(chunk)-\(frame).tmp")
        do {
            let manager = FileManager.default
            _ = manager.createFile(atPath: temporary.path, contents: nil)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: Data(payload))
            if durable { try handle.synchronize() }
            try handle.close()
            if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            try manager.moveItem(at: temporary, to: target)
        } catch {
            throw CoordinatorError.cannotWrite(path: target.path, reason: "\(error)")
        }
    }

    /// The stored payload bytes, or nil when the render is not stored.
    public func read(chunk: Int, frame: Int) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: url(chunk: chunk, frame: frame).path) else { return nil }
        return [UInt8](data)
    }

    public func remove(chunk: Int, frame: Int) {
        try? FileManager.default.removeItem(at: url(chunk: chunk, frame: frame))
    }

    /// Every render on disk now, as (chunk, frame), from the file names.
    public func renders() -> [(chunk: Int, frame: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".rgb.lz4") else { return nil }
            let parts = name.dropLast(8).split(separator: "-")
            guard parts.count == 2, let chunk = Int(parts[0]), let frame = Int(parts[1]) else { return nil }
            return (chunk, frame)
        }
    }

    /// How many renders are on disk now (tests check that they do not pile up).
    public func count() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".rgb.lz4") }.count
    }
}
