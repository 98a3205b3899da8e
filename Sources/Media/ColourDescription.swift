/// How a film's samples map to colours: the four tags of ITU-T H.273 (ISO/IEC 23091-2) that a
/// stream declares and FFmpeg reads (codecpar `color_primaries`, `color_trc`, `color_space`,
/// `color_range`).
///
/// Why it matters here: a film is decoded to RGB for styling and encoded again. The matrix and
/// the range decide which RGB a YUV sample means; decode BT.601 with BT.709's matrix, or limited
/// range as full, and every colour shifts. So the reader converts with what the film declares,
/// and the writer converts back with the same matrix and range and tags the output with all four
/// values, so a player shows the output's colours as it showed the input's.
///
/// Untagged films (a value `unspecified`) are resolved as players such as mpv guess them
/// (`resolved(width:height:)`): HD (1280 columns or more, or more than 576 lines) as BT.709,
/// SD as BT.601, limited range. The output is then tagged with the guess, explicitly.
public struct ColourDescription: Sendable, Hashable {
    /// H.273 ColourPrimaries, numbered as FFmpeg's `AVColorPrimaries` (1 BT.709, 5 BT.470BG,
    /// 6 SMPTE 170M, 9 BT.2020, 2 unspecified).
    public var primaries: Int
    /// H.273 TransferCharacteristics, numbered as `AVColorTransferCharacteristic` (1 BT.709,
    /// 6 SMPTE 170M, 13 sRGB, 16 PQ, 18 HLG, 2 unspecified).
    public var transfer: Int
    /// H.273 MatrixCoefficients, numbered as `AVColorSpace` (0 RGB, 1 BT.709, 5 BT.470BG and
    /// 6 SMPTE 170M, both BT.601's matrix, 9 BT.2020 non-constant, 2 unspecified).
    public var matrix: Int
    public var range: Range

    /// Which span of code values the samples use.
    public enum Range: String, Sendable, Hashable {
        case unspecified
        /// "TV" or "MPEG" range: luma 16-235, chroma 16-240 (8 bits).
        case limited
        /// "PC" or "JPEG" range: 0-255.
        case full
    }

    /// H.273's code point for "unspecified", the same for primaries, transfer and matrix.
    public static let unspecifiedCode = 2

    public init(primaries: Int, transfer: Int, matrix: Int, range: Range) {
        self.primaries = primaries
        self.transfer = transfer
        self.matrix = matrix
        self.range = range
    }

    /// Nothing declared.
    public static let unspecified = ColourDescription(primaries: unspecifiedCode, transfer: unspecifiedCode,
                                                      matrix: unspecifiedCode, range: .unspecified)
    /// BT.709, limited range: HD video, and what `VideoWriter` writes unless told otherwise.
    public static let bt709 = ColourDescription(primaries: 1, transfer: 1, matrix: 1, range: .limited)
    /// BT.601 for 525-line (NTSC) SD video: SMPTE 170M primaries, transfer and matrix, limited.
    public static let bt601NTSC = ColourDescription(primaries: 6, transfer: 6, matrix: 6, range: .limited)
    /// BT.601 for 625-line (PAL) SD video: BT.470BG primaries and matrix (the matrix is BT.601's,
    /// as SMPTE 170M's is), SMPTE 170M transfer (BT.709's curve), limited.
    public static let bt601PAL = ColourDescription(primaries: 5, transfer: 6, matrix: 5, range: .limited)

    /// The matrices libswscale converts with (`sws_getCoefficients`): BT.709, FCC, BT.470BG,
    /// SMPTE 170M, SMPTE 240M, BT.2020 non-constant and constant luminance. For any other it
    /// silently uses BT.601's, so the others are resolved like an untagged film's instead.
    static let convertibleMatrices: Set<Int> = [1, 4, 5, 6, 7, 9, 10]

    /// Whether every value is declared and the matrix one libswscale converts with: what
    /// `resolved(width:height:)` returns.
    public var isResolved: Bool {
        ColourDescription.convertibleMatrices.contains(matrix) && range != .unspecified
            && ![0, ColourDescription.unspecifiedCode, 3].contains(primaries)
            && ![0, ColourDescription.unspecifiedCode, 3].contains(transfer)
    }

    /// What a player assumes for a picture of this stored size that declares nothing:
    /// BT.709 from 1280 columns or above 576 lines (mpv's rule, which also takes a 1280x544
    /// scope film as HD), else BT.601, the PAL variant for 576- and 288-line pictures.
    public static func guess(width: Int, height: Int) -> ColourDescription {
        if width >= 1280 || height > 576 { return .bt709 }
        return height == 576 || height == 288 ? .bt601PAL : .bt601NTSC
    }

    /// Every value that is unspecified (or reserved) replaced by `guess(width:height:)`'s, so
    /// that conversion and the output's tags both use it. A matrix libswscale cannot apply
    /// (RGB, YCgCo, ICtCp, ...) takes the guess's too; an RGB film's range described its RGB
    /// samples, so the YUV made from it is limited range, as for an untagged film.
    public func resolved(width: Int, height: Int) -> ColourDescription {
        let guess = ColourDescription.guess(width: width, height: height)
        let undeclared: Set<Int> = [0, ColourDescription.unspecifiedCode, 3]
        var result = self
        if undeclared.contains(primaries) { result.primaries = guess.primaries }
        if undeclared.contains(transfer) { result.transfer = guess.transfer }
        if !ColourDescription.convertibleMatrices.contains(matrix) {
            result.matrix = guess.matrix
            if matrix == 0 { result.range = guess.range }
        }
        if result.range == .unspecified { result.range = guess.range }
        return result
    }
}
