import Media
import Protocol

extension ColourTags {
    /// The wire form of a film's resolved colour, sent with every chunk a worker encodes.
    init(_ colour: ColourDescription) {
        self.init(primaries: colour.primaries, transfer: colour.transfer, matrix: colour.matrix, fullRange: colour.range == .full)
    }
}
