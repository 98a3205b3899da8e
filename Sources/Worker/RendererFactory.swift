/// The worker's method dispatch: the method name in a TASK to the renderer that runs it (the
/// renderer reads the TASK's parameters itself, so a bad parameter fails just that chunk). `reconet` is recognised but refused until its renderer is plugged in here.
public enum RendererFactory {
    /// Methods whose renderer is not in this build yet.
    public static let pendingMethods: Set<String> = ["reconet"]

    public static func renderer(for method: String) throws(WorkerError) -> any FrameRenderer {
        if method == "copy" { return CopyRenderer() }
        if method == "gatys" { return GatysChunkRenderer() }
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
