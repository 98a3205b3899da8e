import Foundation
import Protocol

/// The link between an embedded `submit`'s coordinator and the local workers it starts: where
/// the coordinator binds, how it secures the link, and what the workers are told.
///
/// By default a Unix domain socket (`ipc://`) in a fresh folder made by `mkdtemp` (mode 0700,
/// owned by this user), without CURVE. That is as safe as CURVE on loopback was for this link:
/// the kernel lets only processes that can enter the folder reach the socket, i.e. this user's
/// (and root), and those could read the run's CURVE keys anyway, which sit in the job folder
/// with mode 0600 for the same user; nothing crosses a network interface to be sniffed. What
/// it saves is the libsodium encryption of every frame on both sides, twice per frame (input
/// out, render back), plus the TCP stack: for `copy` on 1080p that was about 6 % of all CPU
/// (docs/benchmarks.md, "Long films on bounded disk"). `serve`'s links are not affected: they
/// cross machines and keep CURVE.
///
/// Where no such folder can be made, it falls back to what an embedded submit used before:
/// CURVE on 127.0.0.1 with keys made for the run (`EphemeralKeys`), or plain TCP on 127.0.0.1
/// with `--insecure`.
struct EmbeddedLink {
    /// The worker endpoint to bind (`ipc://...` or `tcp://127.0.0.1:*`).
    let bind: String
    let security: CoordinatorServer.Security
    /// What each local worker is started with besides `--connect`: `--insecure` on the private
    /// socket, else the fallback's keys.
    let workerArguments: [String]
    /// The private folder of the socket, removed by `remove()`; nil for the TCP fallback.
    let folder: String?

    /// The link for a run whose job folder is `data`; `insecure` is `submit --insecure`.
    init(data: URL, insecure: Bool) throws(CoordinatorError) {
        if let folder = Self.privateFolder() {
            self.folder = folder
            bind = "ipc://\(folder)/workers"
            security = .plain
            workerArguments = ["--insecure"]
            return
        }
        folder = nil
        bind = "tcp://127.0.0.1:*"
        if insecure {
            security = .plain
            workerArguments = ["--insecure"]
        } else {
            // CURVE on loopback: fresh keys for this run, the workers' in the job folder (0600).
            let keys = try EphemeralKeys(folder: data.appendingPathComponent("keys"))
            security = keys.serverSecurity
            workerArguments = keys.workerArguments
        }
    }

    /// Deletes the socket's folder (the run is over).
    func remove() {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// A new folder only this user can enter, with a path short enough for a Unix socket address
    /// (108 bytes with its terminator), or nil.
    private static func privateFolder() -> String? {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/vst-link.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { return nil }
        let folder = String(cString: template)
        guard "\(folder)/workers".utf8.count < 108 else {
            rmdir(folder)
            return nil
        }
        return folder
    }
}
