/// How `ReCoNetStyleLoss` scales each style layer's Gram loss before the layers are summed.
///
/// The raw per-entry Gram losses of VGG-16's layers differ by orders of magnitude (deep layers have
/// large activations over few pixels; relu1_2's Gram entries are small): summed as they are,
/// relu4_3 made 0.1 % of the style term of the first starry model (models/reference/starry-9200),
/// so the network learnt the painting's palette from the shallow layers and never its strokes,
/// which live in the deep ones.
public enum StyleLayerNormalization: String, Sendable, CaseIterable {
    /// The layers' losses summed as they are: how models trained before issue 21 were trained
    /// (their files record no normalisation and resume with this).
    case none
    /// Each layer's loss divided by the mean square of the style picture's own Gram entries for that
    /// layer, so each term is the Gram error relative to the style's Gram (1 for a flat output,
    /// whose Gram is near 0), and equal layer weights give the layers equal say. Chosen over the
    /// layer's loss on the first batch because it depends on the style alone: it is known before
    /// the first step, is the same whichever pair or initial weights come first, and a resumed run
    /// recomputes it instead of trusting a stored number.
    case styleGram = "style-gram"

    /// The mode a model or checkpoint was trained with, from its training settings; files written
    /// before the setting existed were trained with `.none`.
    public static func recorded(in training: [String: String]) -> StyleLayerNormalization? {
        guard let text = training[settingsKey] else { return StyleLayerNormalization.none }
        return StyleLayerNormalization(rawValue: text)
    }

    public static let settingsKey = "styleLayerNormalization"
}
