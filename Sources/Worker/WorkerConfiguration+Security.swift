import Protocol

extension WorkerConfiguration {
    /// The link security a worker's command line asks for: CURVE from `key` (this worker's
    /// secret key file, private to its owner) and `serverKey` (the coordinator's public key
    /// file), or plain TCP with `insecure`, which is refused unless `endpoint` is on loopback
    /// or `forceInsecure` says the network is trusted.
    public static func security(key: String?, serverKey: String?, insecure: Bool, forceInsecure: Bool,
                                endpoint: String) throws(WorkerError) -> Socket.Security {
        if insecure || forceInsecure {
            guard forceInsecure || Endpoint.isLoopback(endpoint) else {
                throw .security("--insecure links stay on loopback; \(endpoint) is not (use --key and --server-key, or --force-insecure on a trusted network)")
            }
            return .plain
        }
        guard let key, let serverKey else {
            throw .security("vst-worker needs --key FILE and --server-key FILE (see vst-coord keygen), or --insecure on loopback")
        }
        do {
            return .curveClient(keys: try CurveKeyFile.readKeyPair(key), server: try CurveKeyFile.readSingleKey(serverKey))
        } catch {
            throw .security(error.description)
        }
    }
}
