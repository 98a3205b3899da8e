import Media
import Protocol

extension ColourDescription {
    /// A TASK's `SegmentSpec.colour` as Media reads it: what the coordinator resolved for the film.
    init(_ tags: ColourTags) {
        self.init(primaries: tags.primaries, transfer: tags.transfer, matrix: tags.matrix, range: tags.fullRange ? .full : .limited)
    }
}
