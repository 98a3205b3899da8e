import CFFmpeg

extension Orientation {
    /// The orientation a display matrix describes: FFmpeg's AV_PKT_DATA_DISPLAYMATRIX stream
    /// side data, nine int32 with a, b, c, d (elements 0, 1, 3, 4) in 16.16 fixed point, which
    /// carries a stored pixel (p, q), y pointing down, to (a p + c q, b p + d q) plus a shift.
    ///
    /// A negative determinant means a mirror. Writing the matrix as a left-to-right mirror
    /// followed by a rotation, the rotation is the matrix with its first row negated, and
    /// `av_display_rotation_get` reads its angle (counterclockwise, hence the minus). The angle
    /// is snapped to the nearest quarter turn: cameras only write quarter turns, and any other
    /// angle would need resampling into a picture with blank corners. A matrix that is not
    /// nine numbers or has no rotation part (all zero) is upright.
    public init(displayMatrix matrix: [Int32]) {
        guard matrix.count == 9 else {
            self = .upright
            return
        }
        let (a, b, c, d) = (Double(matrix[0]), Double(matrix[1]), Double(matrix[3]), Double(matrix[4]))
        let mirrored = a * d - b * c < 0
        var rotationPart = matrix
        if mirrored {
            rotationPart[0] = 0 &- matrix[0]
            rotationPart[1] = 0 &- matrix[1]
        }
        let counterclockwise = av_display_rotation_get(rotationPart)
        guard counterclockwise.isFinite else {
            self = .upright
            return
        }
        self.init(rotation: -Int((counterclockwise / 90).rounded()) * 90, mirrored: mirrored)
    }
}
