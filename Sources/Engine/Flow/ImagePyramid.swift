/// A coarse-to-fine stack of an image: level 0 is the image, each next level half the size
/// (area-averaged, so no aliasing), down to `levels - 1`. Coarse levels see large motions as
/// small ones, which is what lets a local search find them.
struct ImagePyramid {
    let levels: [PlanarImage]

    init(_ image: PlanarImage, levels count: Int) {
        var levels = [image]
        for _ in 1..<max(count, 1) {
            let prev = levels[levels.count - 1]
            levels.append(prev.resized(width: max(1, prev.width / 2), height: max(1, prev.height / 2)))
        }
        self.levels = levels
    }

    subscript(level: Int) -> PlanarImage { levels[level] }
}

/// Central-difference derivatives with replicated borders: (I[x+1] - I[x-1]) / 2.
enum ImageGradient {
    static func x(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let s = src + y * w, d = dst + y * w
                if w == 1 { d[0] = 0; continue }
                d[0] = (s[1] - s[0]) * 0.5
                for x in 1..<(w - 1) { d[x] = (s[x + 1] - s[x - 1]) * 0.5 }
                d[w - 1] = (s[w - 1] - s[w - 2]) * 0.5
            }
        }
    }

    static func y(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let up = src + max(y - 1, 0) * w, down = src + min(y + 1, h - 1) * w, d = dst + y * w
                for x in 0..<w { d[x] = (down[x] - up[x]) * 0.5 }
            }
        }
    }
}
