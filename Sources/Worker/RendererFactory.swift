/// The worker's method dispatch: the method name in a TASK to the renderer that runs it (the
/// renderer reads the TASK's parameters itself, so a bad parameter fails just that chunk).
public enum RendererFactory {
    /// Methods whose renderer is not in this build yet (none today; a build without one refuses
    /// its chunks with `WorkerError.methodUnavailable` instead of an unknown-method error).
    public static let pendingMethods: Set<String> = []

    /// `models` is the worker's cache of ReCoNet models, which outlives any one chunk.
    public static func renderer(for method: String, models: ModelCache = ModelCache()) throws(WorkerError) -> any FrameRenderer {
        if method == "copy" { return CopyRenderer() }
        if method == "gatys" { return GatysChunkRenderer() }
        if method == "reconet" { return ReCoNetChunkRenderer(models: models) }
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
