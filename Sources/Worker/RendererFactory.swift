/// The worker's method dispatch: the name in a TASK to the renderer that runs it. `gatys` and
/// `reconet` are recognised but refused until Engine's renderers are plugged in here.
public enum RendererFactory {
    /// Methods whose renderer is not in this build yet.
    public static let pendingMethods: Set<String> = ["gatys", "reconet"]

    public static func renderer(for method: String) throws(WorkerError) -> any FrameRenderer {
        if method == "copy" { return CopyRenderer() }
        if method.hasPrefix("sleep:") {
            guard let ms = Int(method.dropFirst("sleep:".count)), (0...600_000).contains(ms) else {
                throw .unknownMethod(method)
            }
            return SleepRenderer(milliseconds: ms)
        }
        if pendingMethods.contains(method) { throw .methodUnavailable(method) }
        throw .unknownMethod(method)
    }
}
