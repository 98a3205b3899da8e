import CFFmpeg

/// An exact fraction, used for time bases (seconds per tick) and frame rates (frames per second).
///
/// Timestamps travel as a tick count plus the `Rational` they count in, never as `Double`, so
/// that a frame's pts read from the input is written back to the output unchanged.
public struct Rational: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The value as a Double, for display and comparisons with a tolerance only.
    public var doubleValue: Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    /// `ticks` of this time base in seconds (for display; keep ticks for arithmetic).
    public func seconds(_ ticks: Int64) -> Double {
        Double(ticks) * doubleValue
    }

    /// Rescales `ticks` from this time base to `other`, rounding to nearest (av_rescale_q).
    public func rescale(_ ticks: Int64, to other: Rational) -> Int64 {
        av_rescale_q(ticks, av, other.av)
    }

    /// The reciprocal: a frame rate's frame duration, or a time base's tick rate.
    public var inverse: Rational { Rational(denominator, numerator) }

    public var description: String { "\(numerator)/\(denominator)" }

    init(_ value: AVRational) {
        self.init(value.num, value.den)
    }

    var av: AVRational { AVRational(num: numerator, den: denominator) }
}
