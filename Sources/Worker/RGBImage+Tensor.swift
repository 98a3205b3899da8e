import Engine
import Media

/// The crossing between Media's packed 8-bit RGB and Engine's planar float images (Engine does
/// not import Media): [1, 3, h, w] tensors for the renderer, `PlanarImage`s for flow and warping.
/// Both hold the same plane-by-plane values 0...255.
extension RGBImage {
    var planar: PlanarImage { PlanarImage(packedRGB: pixels, width: width, height: height) }

    var tensor: Tensor { Tensor(shape: [1, 3, height, width], scalars: planar.data) }

    /// Rounds and clamps each value of a [1, 3, h, w] tensor.
    init(tensor t: Tensor) {
        let planar = PlanarImage(width: t.shape[3], height: t.shape[2], channels: 3, data: t.scalars)
        self.init(width: planar.width, height: planar.height, pixels: planar.packedRGB())
    }
}

extension PlanarImage {
    var tensor: Tensor { Tensor(shape: [1, channels, height, width], scalars: data) }

    init(tensor t: Tensor) {
        self.init(width: t.shape[3], height: t.shape[2], channels: t.shape[1], data: t.scalars)
    }
}
