import Protocol

extension WorkerConfiguration {
    /// The link security a worker's command line asks for, loaded by `LinkSecurity` as every
    /// vst command's is: CURVE from `key` (this worker's secret key file, private to its owner)
    /// and `serverKey` (the coordinator's public key file), or plain TCP with `insecure`, which
    /// is refused unless `endpoint` is on loopback or `forceInsecure` says the network is trusted.
    public static func security(key: String?, serverKey: String?, insecure: Bool, forceInsecure: Bool,
                                endpoint: String) throws(WorkerError) -> Socket.Security {
        let security = LinkSecurity(key: key, serverKey: serverKey, insecure: insecure, forceInsecure: forceInsecure)
        do { return try security.clientSecurity(endpoint: endpoint) } catch { throw .security(error.description) }
    }
}
