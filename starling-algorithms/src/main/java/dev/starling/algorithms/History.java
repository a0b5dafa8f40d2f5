package dev.starling.algorithms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an iteration did: one {@link Step} per central step (iteration, epoch, time, answers applied, their largest
 * staleness, the metric), and per worker the answers applied. Its memory grows with the central steps only (a few
 * numbers each), never with the answers' size. Not thread-safe: the central node writes it, and a caller reads it
 * after the run.
 */
public final class History {
    private final List<Step> steps = new ArrayList<>();
    private final long[] answersPerWorker;
    private final long started = System.nanoTime();
    private long answers;
    private long stalenessSum;
    private int maxStaleness;
    private long maxLead;

    /**
     * One central step.
     *
     * @param iteration the central steps so far, this one included
     * @param epoch     the least number of answers any worker has given
     * @param seconds   since the run began
     * @param answers   answers applied so far
     * @param staleness the largest staleness of the answers this step applied
     * @param metric    the algorithm's metric of the new query, or NaN
     */
    public record Step(long iteration, long epoch, double seconds, long answers, int staleness, double metric) {
    }

    History(int workers) {
        this.answersPerWorker = new long[workers];
    }

    void applied(Answer<?> answer) {
        answersPerWorker[answer.worker()]++;
        answers++;
        stalenessSum += answer.staleness();
        maxStaleness = Math.max(maxStaleness, answer.staleness());
    }

    /** A worker starts a step {@code lead} steps ahead of the slowest worker's finished ones. */
    void started(long lead) {
        maxLead = Math.max(maxLead, lead);
    }

    /**
     * The largest lead of a started step over the slowest worker: a worker started its step {@code c + lead} when
     * the slowest had finished {@code c}. At most {@code s + 1} under {@link Mode#ssp(int) ssp(s)}.
     */
    public long maxLead() {
        return maxLead;
    }

    Step step(int staleness, double metric) {
        Step step = new Step(steps.size() + 1L, epochs(), seconds(), answers, staleness, metric);
        steps.add(step);
        return step;
    }

    /** Central steps so far. */
    public long iterations() {
        return steps.size();
    }

    /** The least number of answers any worker has given. */
    public long epochs() {
        return Arrays.stream(answersPerWorker).min().orElse(0);
    }

    /** Seconds since the run began. */
    public double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Answers applied in all. */
    public long answers() {
        return answers;
    }

    /** Answers applied per worker, by worker index. */
    public long[] answersPerWorker() {
        return answersPerWorker.clone();
    }

    /** The largest staleness of an applied answer. */
    public int maxStaleness() {
        return maxStaleness;
    }

    /** The mean staleness of the applied answers. */
    public double meanStaleness() {
        return answers == 0 ? 0 : (double) stalenessSum / answers;
    }

    /** Every central step, in order. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The last central step, if any. */
    public Optional<Step> last() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.getLast());
    }
}
