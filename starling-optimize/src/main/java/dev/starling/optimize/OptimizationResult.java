package dev.starling.optimize;

import java.time.Duration;
import java.util.Optional;

/**
 * What an optimization run produced. Immutable apart from the archive, which can still be updated.
 *
 * @param archive     every evaluation on the network, including earlier runs'
 * @param workers     how many workers this run used
 * @param utilization the share of this run's total worker time spent inside the objective, from 0 to 1; NaN when the
 *                    store went out of reach before the workers' times could be read
 * @param elapsed     the run's wall-clock time
 * @param shortfall   why the run ended before its terminator said so (its workers gave up on an unreachable store,
 *                    or failed), or empty when it ran as asked; the archive holds what was done until then
 */
public record OptimizationResult(EvaluationArchive archive, int workers, double utilization, Duration elapsed,
                                 Optional<String> shortfall) {

    /** The best evaluation, if any finished. */
    public Optional<Evaluation> best() {
        return archive.best();
    }

    /** The best value of the ranking outcome, or NaN. */
    public double bestValue() {
        return archive.best().map(e -> e.outcomes().get(archive.outcome().name())).orElse(Double.NaN);
    }

    /** The summary line: {@code best y=<value> evaluations=<n> workers=<w> utilization=<u>}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "best %s=%s evaluations=%d workers=%d utilization=%.4f",
                archive.outcome().name(), bestValue(), archive.size(), workers, utilization);
    }
}
