/// How a command secures its links, as given on its command line: CURVE with key files (the
/// default, and required), or plain TCP with `--insecure`, which is refused off loopback
/// unless `--force-insecure` says the network is trusted. The one loader of the key files a
/// command line names, for the coordinator, its client tools and the workers alike.
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

    public var isPlain: Bool { insecure || forceInsecure }

    /// The serving side, for sockets bound on `endpoints`: nil for plain TCP, else the
    /// coordinator's key pair and the public keys it admits.
    public func serverKeys(endpoints: [String]) throws(LinkSecurityError) -> (keys: CurveKeyPair, authorized: [CurveKey])? {
        if isPlain {
            try Self.allowPlain(endpoints, forced: forceInsecure)
            return nil
        }
        guard let key, let authorized else { throw .serverKeysMissing }
        do {
            return (try CurveKeyFile.readKeyPair(key), try CurveKeyFile.readAuthorizedKeys(authorized))
        } catch {
            throw .keyFile(error)
        }
    }

    /// A worker's or client tool's side, connecting to `endpoint`.
    public func clientSecurity(endpoint: String) throws(LinkSecurityError) -> Socket.Security {
        if isPlain {
            try Self.allowPlain([endpoint], forced: forceInsecure)
            return .plain
        }
        guard let key, let serverKey else { throw .clientKeysMissing }
        do {
            return .curveClient(keys: try CurveKeyFile.readKeyPair(key), server: try CurveKeyFile.readSingleKey(serverKey))
        } catch {
            throw .keyFile(error)
        }
    }

    /// Plain TCP only where traffic cannot leave the host (`Endpoint.isLoopback`), unless forced.
    public static func allowPlain(_ endpoints: [String], forced: Bool) throws(LinkSecurityError) {
        guard !forced else { return }
        for endpoint in endpoints where !Endpoint.isLoopback(endpoint) {
            throw .plainOffLoopback(endpoint: endpoint)
        }
    }
}
