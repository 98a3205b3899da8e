/// How the content and style terms are scaled. The two conventions differ by constant factors
/// only, but the factors decide which weights give a good picture, so the weights travel with
/// the convention (`GatysOptions.defaults(for:)`).
///
/// With F the features (N channels x M pixels), P the content target, G = F F^T / M and A the
/// style image's G:
/// - `meanSquared` (default; the reference render in ../shared/media/SOURCES.md):
///   content = mean((F - P)^2), style layer = mean over the N^2 entries of (G - A)^2.
///   Weights content 1, style 1e-3 reproduce the reference look.
/// - `gatys` (Gatys et al. 2016, eqs. 1, 4, 5): content = 1/2 sum (F - P)^2,
///   style layer E_l = 1/(4 N^2 M^2) sum (F F^T - M A)^2 = 1/(4 N^2) sum (G - A)^2, each layer
///   weighted 1/(number of style layers).
public enum LossNormalization: String, Sendable, CaseIterable {
    case meanSquared = "mean"
    case gatys
}
