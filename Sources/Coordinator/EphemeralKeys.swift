import Foundation
import Protocol

/// The throw-away CURVE keys of an embedded `submit`: one pair for its coordinator and one for
/// its local workers, made for this run, so that even loopback traffic is encrypted and no
/// other local process can pose as a worker. The workers' secret key and the coordinator's
/// public key are written (0600) into `folder`, inside the job folder that the run removes.
struct EphemeralKeys {
    let server: CurveKeyPair
    let worker: CurveKeyPair
    let workerKeyPath: String
    let serverKeyPath: String

    init(folder: URL) throws(CoordinatorError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            server = try CurveKeyPair.generate()
            worker = try CurveKeyPair.generate()
            workerKeyPath = try CurveKeyFile.write(worker, to: folder.appendingPathComponent("worker").path).secret
            serverKeyPath = try CurveKeyFile.write(server, to: folder.appendingPathComponent("coordinator").path).public
        } catch let error as CurveKeyError {
            throw .security(error.description)
        } catch {
            throw .cannotWrite(path: folder.path, reason: "\(error)")
        }
    }

    var serverSecurity: CoordinatorServer.Security { .curve(keys: server, authorized: [worker.publicKey]) }
    var workerArguments: [String] { ["--key", workerKeyPath, "--server-key", serverKeyPath] }
}
