import Media

/// The per-frame warping error as a picture (`vst eval`'s PNG): one line per film over the frame
/// index, chunk boundaries shaded. Drawn directly into an `RGBImage` so no plotting library is
/// needed: light red bands mark boundary frames, a red line each later chunk's first own frame;
/// the styled film is blue, the baseline orange, the input (the floor) green; grey lines divide
/// the error axis in quarters of its top value (printed in the report as `plotTop`).
public struct ErrorPlot {
    public var width = 800
    public var height = 300
    public static let styledColor: (UInt8, UInt8, UInt8) = (30, 80, 220)
    public static let baselineColor: (UInt8, UInt8, UInt8) = (240, 140, 20)
    public static let inputColor: (UInt8, UInt8, UInt8) = (40, 160, 60)

    public init() {}

    /// The top of the error axis for these series: the largest value plus a tenth.
    public static func top(of series: [[Double?]]) -> Double {
        let peak = series.flatMap { $0.compactMap { $0 } }.max() ?? 0
        return peak > 0 ? peak * 1.1 : 1
    }

    /// - Parameters:
    ///   - series: per-frame values (nil where there is none) with their colours, drawn in order.
    ///   - boundaryFrames: shaded frames; `chunkStarts`: frames marked with a line.
    public func draw(series: [(values: [Double?], color: (UInt8, UInt8, UInt8))], frames: Int,
                     boundaryFrames: [Int], chunkStarts: [Int]) -> RGBImage {
        var image = RGBImage(width: width, height: height, pixels: [UInt8](repeating: 255, count: width * height * 3))
        let (left, right, topMargin, bottom) = (40, width - 20, 20, height - 30)
        let top = Self.top(of: series.map(\.values))
        let span = max(1, frames - 1)
        func x(_ frame: Double) -> Double { Double(left) + frame / Double(span) * Double(right - left) }
        func y(_ value: Double) -> Double { Double(bottom) - value / top * Double(bottom - topMargin) }

        let halfFrame = Double(right - left) / Double(span) / 2
        for frame in boundaryFrames {
            fill(&image, x0: Int(x(Double(frame)) - halfFrame), x1: Int(x(Double(frame)) + halfFrame), y0: topMargin, y1: bottom,
                 color: (255, 220, 220))
        }
        for q in 1...4 {
            let yy = y(top / 1.1 * Double(q) / 4)
            line(&image, x(0), yy, x(Double(span)), yy, color: (215, 215, 215), thickness: 1)
        }
        for frame in chunkStarts {
            line(&image, x(Double(frame)), Double(topMargin), x(Double(frame)), Double(bottom), color: (220, 40, 40), thickness: 1)
        }
        // Axes.
        line(&image, Double(left), Double(bottom), Double(right), Double(bottom), color: (0, 0, 0), thickness: 1)
        line(&image, Double(left), Double(topMargin), Double(left), Double(bottom), color: (0, 0, 0), thickness: 1)
        for frame in 0...span where frame % 5 == 0 {
            line(&image, x(Double(frame)), Double(bottom), x(Double(frame)), Double(bottom + (frame % 10 == 0 ? 8 : 4)), color: (0, 0, 0), thickness: 1)
        }
        for s in series {
            var last: (Double, Double)?
            for (frame, value) in s.values.enumerated() {
                guard let value else { last = nil; continue }
                let point = (x(Double(frame)), y(value))
                if let last { line(&image, last.0, last.1, point.0, point.1, color: s.color, thickness: 2) }
                fill(&image, x0: Int(point.0) - 2, x1: Int(point.0) + 2, y0: Int(point.1) - 2, y1: Int(point.1) + 2, color: s.color)
                last = point
            }
        }
        return image
    }

    private func set(_ image: inout RGBImage, _ px: Int, _ py: Int, _ color: (UInt8, UInt8, UInt8)) {
        guard px >= 0, py >= 0, px < image.width, py < image.height else { return }
        let i = (py * image.width + px) * 3
        image.pixels[i] = color.0; image.pixels[i + 1] = color.1; image.pixels[i + 2] = color.2
    }

    private func fill(_ image: inout RGBImage, x0: Int, x1: Int, y0: Int, y1: Int, color: (UInt8, UInt8, UInt8)) {
        for py in min(y0, y1)...max(y0, y1) { for px in min(x0, x1)...max(x0, x1) { set(&image, px, py, color) } }
    }

    /// A line of `thickness` pixels, sampled every half pixel along its length.
    private func line(_ image: inout RGBImage, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                      color: (UInt8, UInt8, UInt8), thickness: Int) {
        let steps = max(1, Int((max(abs(x1 - x0), abs(y1 - y0)) * 2).rounded(.up)))
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            let px = Int((x0 + (x1 - x0) * t).rounded()), py = Int((y0 + (y1 - y0) * t).rounded())
            for dy in 0..<thickness { for dx in 0..<thickness { set(&image, px + dx - thickness / 2, py + dy - thickness / 2, color) } }
        }
    }
}
