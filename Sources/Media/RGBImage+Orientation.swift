extension RGBImage {
    /// This picture laid out as `orientation` shows it: mirrored left to right first when it
    /// says so, then turned clockwise. Pixels move, none is resampled, so turning back gives
    /// the same bytes. An upright orientation returns the picture itself.
    public func oriented(_ orientation: Orientation) -> RGBImage {
        if orientation == .upright { return self }
        let size = orientation.displayedSize(width: width, height: height)
        // Where stored pixel (x, y) lands, as a pixel index into the upright picture. The map
        // is affine in x and y, so the loop below only adds two steps.
        let (width, height) = (self.width, self.height)
        func target(_ x: Int, _ y: Int) -> Int {
            let mx = orientation.mirrored ? width - 1 - x : x
            let (u, v) = switch orientation.rotation {
            case 90: (height - 1 - y, mx)
            case 180: (width - 1 - mx, height - 1 - y)
            case 270: (y, width - 1 - mx)
            default: (mx, y)
            }
            return v * size.width + u
        }
        let origin = target(0, 0), stepX = target(1, 0) - origin, stepY = target(0, 1) - origin
        var result = RGBImage(width: size.width, height: size.height)
        pixels.withUnsafeBufferPointer { source in
            result.pixels.withUnsafeMutableBufferPointer { destination in
                var from = 0
                for y in 0..<height {
                    var to = (origin + y * stepY) * 3
                    for _ in 0..<width {
                        destination[to] = source[from]
                        destination[to + 1] = source[from + 1]
                        destination[to + 2] = source[from + 2]
                        from += 3
                        to += stepX * 3
                    }
                }
            }
        }
        return result
    }
}
