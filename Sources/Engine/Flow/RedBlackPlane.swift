/// A plane split by checkerboard colour, for red-black SOR: colour c holds the pixels with
/// (x + y) % 2 == c, row by row, packed. In this layout every neighbour of a pixel is in the
/// other colour, at a fixed offset in the same or an adjacent row, so a half-sweep reads and
/// writes contiguous memory and runs eight pixels per SIMD8 step.
///
/// Pixel (x, y) of colour c sits at k = x / 2 of row y, where x = 2k + o and o = (y + c) % 2.
/// Its left neighbour is k + o - 1 of the other colour, its right one k + o, and the pixels
/// above and below are k of the other colour in rows y - 1 and y + 1.
/// Rows carry one zero cell in front and at least eight behind, and there is a zero row above
/// and below, so border neighbours read 0 (with zero weight) and vector loads never leave the
/// buffer. Passes write only real pixels, so the padding stays zero.
struct RedBlackLayout {
    let width: Int, height: Int
    let stride: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        stride = ((width + 1) / 2 + 2 + 7) / 8 * 8 + 8
    }

    var bufferCount: Int { (height + 2) * stride }
    /// Where colour `c`'s row `y` starts (k = 0).
    @inline(__always) func row(_ y: Int) -> Int { (y + 1) * stride + 1 }
    @inline(__always) func parity(_ y: Int, _ c: Int) -> Int { (y + c) & 1 }
    /// Pixels of colour `c` in row `y`.
    @inline(__always) func length(_ y: Int, _ c: Int) -> Int { (width - parity(y, c) + 1) / 2 }
}

/// One plane in red-black layout: `colour[0]` and `colour[1]`.
final class RedBlackPlane: @unchecked Sendable {
    let layout: RedBlackLayout
    let red: FloatBuffer, black: FloatBuffer
    let colour: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)

    /// A zero plane; its memory comes from `FloatBufferPool` (give it back with `recycle`).
    init(_ layout: RedBlackLayout) {
        self.layout = layout
        red = FloatBufferPool.shared.take(layout.bufferCount)
        black = FloatBufferPool.shared.take(layout.bufferCount)
        colour = (red.pointer, black.pointer)
    }

    static func recycle(_ planes: [RedBlackPlane]) {
        FloatBufferPool.shared.recycle(planes.flatMap { [$0.red, $0.black] })
    }

    @inline(__always) subscript(c: Int) -> UnsafeMutablePointer<Float> { c == 0 ? colour.0 : colour.1 }

    /// Copies a row-major plane in.
    func split(_ src: UnsafePointer<Float>) {
        let l = layout
        FlowParallel.forRanges(l.height, costPerItem: l.width) { rows in
            for y in rows { for c in 0..<2 {
                let o = l.parity(y, c), d = self[c] + l.row(y), s = src + y * l.width + o
                for k in 0..<l.length(y, c) { d[k] = s[2 * k] }
            } }
        }
    }

    /// Copies the plane out, row-major.
    func merge(into dst: UnsafeMutablePointer<Float>) {
        let l = layout
        FlowParallel.forRanges(l.height, costPerItem: l.width) { rows in
            for y in rows { for c in 0..<2 {
                let o = l.parity(y, c), s = self[c] + l.row(y), d = dst + y * l.width + o
                for k in 0..<l.length(y, c) { d[2 * k] = s[k] }
            } }
        }
    }
}
