import Engine
import Media

/// The one crossing between Media's packed 8-bit RGB and Engine's planar float images (Engine does
/// not import Media, and Media knows no tensors): [1, 3, h, w] tensors for the renderers and
/// `GatysImage`, `PlanarImage`s for flow and warping. Both hold the same plane-by-plane values
/// 0...255, so a picture can go either way without scaling.
extension RGBImage {
    /// The picture as three float planes in 0...255.
    public var planar: PlanarImage { PlanarImage(packedRGB: pixels, width: width, height: height) }

    /// The picture as a [1, 3, h, w] tensor in 0...255 (what `GatysImage` and `ReCoNet` take).
    public var tensor: Tensor { Tensor(shape: [1, 3, height, width], scalars: planar.data) }

    /// Rounds and clamps each value of a [1, 3, h, w] tensor.
    public init(tensor t: Tensor) {
        self.init(planar: PlanarImage(tensor: t))
    }

    /// Rounds and clamps each value of a three-channel planar image (a one-channel one is grey).
    public init(planar image: PlanarImage) {
        self.init(width: image.width, height: image.height, pixels: image.packedRGB())
    }
}

extension PlanarImage {
    /// The planes as a [1, channels, h, w] tensor.
    public var tensor: Tensor { Tensor(shape: [1, channels, height, width], scalars: data) }

    /// The planes of a [1, c, h, w] tensor.
    public init(tensor t: Tensor) {
        self.init(width: t.shape[3], height: t.shape[2], channels: t.shape[1], data: t.scalars)
    }
}
