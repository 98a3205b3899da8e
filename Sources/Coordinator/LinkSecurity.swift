import Foundation
import Protocol

/// How a command secures its links, as given on its command line: CURVE with key files (the
/// default, and required), or plain TCP with `--insecure`, which is refused off loopback
/// unless `--force-insecure` says the network is trusted.
///
/// Key files are read here, with their permissions checked (`CurveKeyFile`): a secret key must
/// be private to its owner (0600), an authorized-keys file must not be writable by others.
public struct LinkSecurity: Sendable, Equatable {
    /// `--key FILE`: this side's secret key (`keygen`'s PATH.key).
    public var key: String?
    /// `--server-key FILE`: the coordinator's public key (PATH.pub), for workers and clients.
    public var serverKey: String?
    /// `--authorized FILE`: the public keys of the workers and clients a coordinator admits.
    public var authorized: String?
    /// `--insecure`: plain TCP, loopback only.
    public var insecure = false
    /// `--force-insecure`: plain TCP on any address (a trusted, isolated network).
    public var forceInsecure = false

    public init(key: String? = nil, serverKey: String? = nil, authorized: String? = nil,
                insecure: Bool = false, forceInsecure: Bool = false) {
        self.key = key
        self.serverKey = serverKey
        self.authorized = authorized
        self.insecure = insecure
        self.forceInsecure = forceInsecure
    }

    var isPlain: Bool { insecure || forceInsecure }

    /// The coordinator's side, for sockets bound on `endpoints`.
    func server(endpoints: [String]) throws(CoordinatorError) -> CoordinatorServer.Security {
        if isPlain {
            try Self.allowPlain(endpoints, forced: forceInsecure)
            return .plain
        }
        guard let key, let authorized else {
            throw .security("serve needs --key FILE and --authorized FILE (make keys with vst-coord keygen), or --insecure on loopback")
        }
        do {
            return .curve(keys: try CurveKeyFile.readKeyPair(key), authorized: try CurveKeyFile.readAuthorizedKeys(authorized))
        } catch {
            throw .security(error.description)
        }
    }

    /// A client tool's or worker's side, connecting to `endpoint`.
    func client(endpoint: String) throws(CoordinatorError) -> Socket.Security {
        if isPlain {
            try Self.allowPlain([endpoint], forced: forceInsecure)
            return .plain
        }
        guard let key, let serverKey else {
            throw .security("connecting to a coordinator needs --key FILE and --server-key FILE, or --insecure on loopback")
        }
        do {
            return .curveClient(keys: try CurveKeyFile.readKeyPair(key), server: try CurveKeyFile.readSingleKey(serverKey))
        } catch {
            throw .security(error.description)
        }
    }

    static func allowPlain(_ endpoints: [String], forced: Bool) throws(CoordinatorError) {
        guard !forced else { return }
        for endpoint in endpoints where !Endpoint.isLoopback(endpoint) {
            throw .security("--insecure links stay on loopback; \(endpoint) is not (use CURVE keys, or --force-insecure on a trusted network)")
        }
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
