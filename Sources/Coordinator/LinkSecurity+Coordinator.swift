import Foundation
import Protocol

/// The coordinator's uses of `LinkSecurity`: its own sockets, its client tools' link, and
/// `keygen`; failures become `CoordinatorError.security` (exit 2).
extension LinkSecurity {
    /// The coordinator's side, for sockets bound on `endpoints`.
    func server(endpoints: [String]) throws(CoordinatorError) -> CoordinatorServer.Security {
        do {
            guard let curve = try serverKeys(endpoints: endpoints) else { return .plain }
            return .curve(keys: curve.keys, authorized: curve.authorized)
        } catch {
            throw .security(error.description)
        }
    }

    /// A client tool's side, connecting to `endpoint`.
    func client(endpoint: String) throws(CoordinatorError) -> Socket.Security {
        do { return try clientSecurity(endpoint: endpoint) } catch { throw .security(error.description) }
    }

    /// `keygen --out PATH`: a fresh pair in PATH.key (0600) and PATH.pub. Refuses to replace
    /// an existing key unless `force`, since that would lock out everyone holding the old one.
    public static func generate(to basePath: String, force: Bool = false) throws(CoordinatorError) -> (secret: String, public: String) {
        let manager = FileManager.default
        if !force, manager.fileExists(atPath: basePath + ".key") || manager.fileExists(atPath: basePath + ".pub") {
            throw .invalidOption("\(basePath).key or .pub exists already (--force replaces them)")
        }
        do {
            return try CurveKeyFile.write(try CurveKeyPair.generate(), to: basePath)
        } catch {
            throw .security(error.description)
        }
    }
}
