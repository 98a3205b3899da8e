import Protocol

/// The worker's method dispatch: a TASK's method to the renderer that runs it. The method was
/// checked when the TASK was decoded, so every case has a renderer.
public enum RendererFactory {
    /// `models` is the worker's cache of ReCoNet models, which outlives any one chunk.
    public static func renderer(for method: RenderMethod, models: ModelCache = ModelCache()) -> any FrameRenderer {
        switch method {
        case .copy: CopyRenderer()
        case .gatys: GatysChunkRenderer(models: models)
        case .reconet: ReCoNetChunkRenderer(models: models)
        case .sleep(let ms): SleepRenderer(milliseconds: ms)
        }
    }
}
