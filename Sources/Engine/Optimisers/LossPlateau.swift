/// A stopping rule for an optimisation whose loss has stopped moving: stop once the loss fell by
/// less than `tolerance` of its value `window` iterations earlier. This is Ruder et al.'s
/// artistic-videos rule (`-tol_loss_relative`, `-tol_loss_relative_interval`): a warm-started
/// film frame reaches within a few L-BFGS iterations nearly the loss that fifty give
/// (docs/benchmarks.md, "Gatys iterations where they help"), and the fixed count becomes a cap.
///
/// Feed it the loss before the first iteration (`start`) and after each iteration (`reached`);
/// it never stops before `window` iterations have run.
public struct LossPlateau: Sendable, Equatable {
    /// The relative decrease over `window` iterations below which the loss counts as still.
    public let tolerance: Double
    /// Iterations the decrease is measured over (at least 1).
    public let window: Int
    /// The losses seen, oldest first: the start, then one per iteration.
    public private(set) var losses: [Double] = []

    public init(tolerance: Double, window: Int) {
        precondition(window >= 1, "LossPlateau: window must be at least 1")
        self.tolerance = tolerance
        self.window = window
    }

    /// Records the loss before the first iteration.
    public mutating func start(_ loss: Double) {
        losses = [loss]
    }

    /// Records one iteration's loss; true when the optimisation should stop. A loss that is not
    /// a finite positive number never stops it (nothing relative can be said of it).
    public mutating func reached(_ loss: Double) -> Bool {
        losses.append(loss)
        guard losses.count > window else { return false }
        let before = losses[losses.count - 1 - window]
        guard before > 0, before.isFinite, loss.isFinite else { return false }
        return (before - loss) / before < tolerance
    }
}
