import Dispatch
import Foundation

/// SIGTERM and SIGINT as a flag the coordinator's and the worker's loops poll, so that systemd's
/// stop or Ctrl-C ends either cleanly (BYE sent, local workers stopped, sockets closed) instead of
/// killing it mid-message. Both sides use it; it is process handling, not wire format, so it
/// lives in ProcessSupport rather than Protocol.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Starts catching SIGTERM and SIGINT (the default action, dying, is switched off).
    public func install() {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
    }

    public func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
