/// Something that runs beside `vst-coord serve`'s loop: the web dashboard. `Coordinator.serve`
/// calls it on the loop thread, so it may read the server (take a snapshot) and act on it
/// (carry out a control request) with no lock; it must return quickly, as workers wait on the
/// loop for their ACKs and heartbeats.
public protocol ServeCompanion: AnyObject {
    /// The server is up, before its first step; a throw ends `serve` with that error.
    func start(_ server: CoordinatorServer) throws(CoordinatorError)
    /// After every step of the loop.
    func afterStep(_ server: CoordinatorServer)
    /// `serve` is stopping (SIGTERM or SIGINT), before the server shuts down.
    func stop()
}
