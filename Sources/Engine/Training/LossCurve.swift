import Foundation

/// The loss curves of a training log drawn as an RGB picture (no plotting library on the build
/// machines): each weighted loss term and the total, smoothed by a moving average, on a shared
/// logarithmic axis, with decade and step grid lines, axis numbers and a legend in a 3x5 pixel font.
public struct LossCurve: Sendable {
    /// One plotted series: a name for the legend, its colour, and (step, value) points.
    public struct Series: Sendable {
        public var name: String
        public var color: (UInt8, UInt8, UInt8)
        public var points: [(step: Int, value: Double)]

        public init(name: String, color: (UInt8, UInt8, UInt8), points: [(step: Int, value: Double)]) {
            self.name = name; self.color = color; self.points = points
        }
    }

    public var series: [Series]
    /// Points averaged on each side of every point.
    public var smoothing = 10

    public init(series: [Series]) { self.series = series }

    /// Reads `vst train`'s progress lines ("step N/M total T content C style S tv V otemp O ftemp F
    /// sat A ...") and returns the weighted terms as they entered the total: content and style
    /// divided by the trainer's normalisers (the first step's values, or those a "normalisers ..."
    /// line states) and times their weights, the others times theirs. A term a log lacks is left out.
    public static func parse(log: String, weights: ReCoNetTrainer.Options = .init()) -> LossCurve {
        var rows: [(Int, [String: Double])] = []
        var stated: [String: Double] = [:]
        for line in log.split(separator: "\n") where line.hasPrefix("normalisers ") {
            // A run from another model's weights states the normalisers it took (not step 1's terms).
            let f = line.split(separator: " ")
            for (k, v) in zip(f, f.dropFirst()) where k == "content" || k == "style" { stated[String(k)] = Double(v) }
        }
        for line in log.split(separator: "\n") where line.hasPrefix("step ") {
            let f = line.split(separator: " ")
            guard f.count >= 14, let step = Int(f[1].split(separator: "/")[0]) else { continue }
            var v: [String: Double] = [:]
            var i = 2
            while i + 1 < f.count {
                if let x = Double(f[i + 1]) { v[String(f[i])] = x }
                i += 2
            }
            rows.append((step, v))
        }
        let first = rows.first { $0.0 == 1 }?.1 ?? rows.first?.1 ?? [:]
        let nc = max(stated["content"] ?? first["content"] ?? 1, 1e-30), ns = max(stated["style"] ?? first["style"] ?? 1, 1e-30)
        func series(_ name: String, _ color: (UInt8, UInt8, UInt8), _ scale: Double, key: String) -> Series {
            Series(name: name, color: color, points: rows.compactMap { r in r.1[key].map { (r.0, $0 * scale) } })
        }
        var all = [series("total", (0, 0, 0), 1, key: "total"),
                   series("content", (31, 119, 180), weights.contentWeight / nc, key: "content"),
                   series("style", (214, 39, 40), weights.styleWeight / ns, key: "style"),
                   series("tv", (44, 160, 44), weights.totalVariationWeight, key: "tv")]
        if weights.outputTemporalWeight > 0 { all.append(series("otemp", (255, 127, 14), weights.outputTemporalWeight, key: "otemp")) }
        if weights.featureTemporalWeight > 0 { all.append(series("ftemp", (148, 103, 189), weights.featureTemporalWeight, key: "ftemp")) }
        if weights.saturationWeight > 0 { all.append(series("sat", (140, 86, 75), weights.saturationWeight, key: "sat")) }
        return LossCurve(series: all.filter { !$0.points.isEmpty })
    }

    /// A `width` x `height` picture, packed RGB.
    public func render(width: Int = 800, height: Int = 500) -> [UInt8] {
        var canvas = Canvas(width: width, height: height)
        let left = 60, right = width - 110, top = 20, bottom = height - 40
        let smoothed = series.map { s -> Series in
            var out = s
            out.points = s.points.indices.map { i in
                let lo = max(0, i - smoothing), hi = min(s.points.count - 1, i + smoothing)
                let logs = s.points[lo...hi].map { Foundation.log10(max($0.value, 1e-12)) }
                return (s.points[i].step, Foundation.pow(10, logs.reduce(0, +) / Double(logs.count)))
            }
            return out
        }
        let values = smoothed.flatMap { $0.points.map(\.value) }.filter { $0 > 0 }
        let steps = smoothed.flatMap { $0.points.map(\.step) }
        guard let vMin = values.min(), let vMax = values.max(), let sMax = steps.max() else { return canvas.pixels }
        let d0 = Foundation.floor(Foundation.log10(vMin)), d1 = max(d0 + 1, Foundation.ceil(Foundation.log10(vMax)))
        let s1 = max(1, sMax)
        func px(_ step: Int) -> Int { left + (right - left) * step / s1 }
        func py(_ v: Double) -> Int { bottom - Int(Double(bottom - top) * (Foundation.log10(max(v, 1e-12)) - d0) / (d1 - d0)) }
        // Grid and axis numbers: every decade, and about eight step marks.
        var d = d0
        while d <= d1 {
            let y = py(Foundation.pow(10, d))
            canvas.line(left, y, right, y, (225, 225, 225))
            canvas.text("1e\(Int(d))", x: 4, y: y - 5, color: (60, 60, 60))
            d += 1
        }
        let tick = max(1, Self.niceStep(s1 / 8))
        var s = 0
        while s <= s1 {
            canvas.line(px(s), top, px(s), bottom, (225, 225, 225))
            canvas.text("\(s)", x: px(s) - 6, y: bottom + 6, color: (60, 60, 60))
            s += tick
        }
        canvas.text("step", x: (left + right) / 2 - 12, y: bottom + 22, color: (0, 0, 0))
        canvas.line(left, top, left, bottom, (0, 0, 0))
        canvas.line(left, bottom, right, bottom, (0, 0, 0))
        for (k, serie) in smoothed.enumerated() {
            for (a, b) in zip(serie.points, serie.points.dropFirst()) {
                canvas.line(px(a.step), py(a.value), px(b.step), py(b.value), serie.color)
            }
            let ly = top + 8 + 20 * k
            canvas.fill(x: right + 10, y: ly, width: 14, height: 10, serie.color)
            canvas.text(serie.name, x: right + 30, y: ly, color: (0, 0, 0))
        }
        return canvas.pixels
    }

    /// 1, 2 or 5 times a power of ten, at least `x`.
    static func niceStep(_ x: Int) -> Int {
        var p = 1
        while true {
            for m in [1, 2, 5] where m * p >= x { return m * p }
            p *= 10
        }
    }
}

/// A packed RGB raster with lines, boxes and 3x5 text scaled by 2.
struct Canvas {
    let width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 3)
    }

    mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        pixels[i] = c.0; pixels[i + 1] = c.1; pixels[i + 2] = c.2
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ c: (UInt8, UInt8, UInt8)) {
        for yy in y..<(y + h) { for xx in x..<(x + w) { set(xx, yy, c) } }
    }

    /// Bresenham.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: (UInt8, UInt8, UInt8)) {
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y, c)
            if x == x1 && y == y1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    mutating func text(_ s: String, x: Int, y: Int, color: (UInt8, UInt8, UInt8)) {
        var cx = x
        for ch in s.lowercased() {
            if let rows = Canvas.font[ch] {
                for (r, bits) in rows.enumerated() { for b in 0..<3 where bits & (4 >> b) != 0 {
                    fill(x: cx + 2 * b, y: y + 2 * r, width: 2, height: 2, color)
                } }
            }
            cx += 8
        }
    }

    /// 3x5 glyphs, one row per entry, high bit leftmost.
    static let font: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 2, 2], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        "-": [0, 0, 7, 0, 0], ".": [0, 0, 0, 0, 2], "a": [2, 5, 7, 5, 5], "c": [7, 4, 4, 4, 7], "e": [7, 4, 6, 4, 7],
        "f": [7, 4, 6, 4, 4], "i": [7, 2, 2, 2, 7], "l": [4, 4, 4, 4, 7], "m": [5, 7, 7, 5, 5], "n": [6, 5, 5, 5, 5],
        "o": [7, 5, 5, 5, 7], "p": [7, 5, 7, 4, 4], "r": [6, 5, 6, 5, 5], "s": [7, 4, 7, 1, 7], "t": [7, 2, 2, 2, 2],
        "v": [5, 5, 5, 5, 2], "y": [5, 5, 2, 2, 2],
    ]
}
