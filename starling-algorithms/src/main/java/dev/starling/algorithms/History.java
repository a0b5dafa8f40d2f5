package dev.starling.algorithms;

import dev.starling.internal.Csv;
import dev.starling.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an iteration did: a {@link Step} for every recorded central step (iteration, epoch, time, answers applied,
 * their largest staleness, the metric), per-worker statistics (answers, step time, idle time, whether lost), and the
 * queries saved at chosen iterations. Steps are recorded every {@code k} central steps ({@link Iteration#recordEvery})
 * and always at the last one. Its memory is bounded: at most 100,000 steps are kept, and past that every
 * second one is dropped (the resolution halves); it never grows with the answers' size. Not thread-safe: the central node writes it, and a caller reads it after the run.
 */
public final class History {
    /** The most steps kept: past it, every second one is dropped (about 6 MB of steps). */
    static final int MAX_STEPS = 100_000;
    private final List<Step> steps = new ArrayList<>();
    private final long[] answersPerWorker;
    private final long[] busyNanos;
    private final boolean[] lost;
    private final Map<Long, Object> saved = new LinkedHashMap<>();
    private final Map<Long, List<Answer<?>>> savedAnswers = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private long ended;
    private long iterations;
    private long answers;
    private long stalenessSum;
    private int maxStaleness;
    private long maxLead;
    private int stepStaleness;

    /**
     * One recorded central step.
     *
     * @param iteration the central steps so far, this one included
     * @param epoch     the least number of answers any live worker has given
     * @param seconds   since the run began
     * @param answers   answers applied so far
     * @param staleness the largest staleness of the answers applied since the previous recorded step
     * @param metric    the algorithm's metric of the new query, or NaN
     */
    public record Step(long iteration, long epoch, double seconds, long answers, int staleness, double metric) {
    }

    /**
     * One worker's statistics.
     *
     * @param worker      its index
     * @param answers     answers of it applied
     * @param meanStepSeconds the mean time of its worker steps (straggler sleep included)
     * @param idleSeconds the run's time it spent not in a worker step: waiting for a query, held back, in transit
     * @param lost        whether it was counted lost when the run ended
     */
    public record WorkerStats(int worker, long answers, double meanStepSeconds, double idleSeconds, boolean lost) {
    }

    History(int workers) {
        this.answersPerWorker = new long[workers];
        this.busyNanos = new long[workers];
        this.lost = new boolean[workers];
    }

    void applied(Answer<?> answer, long stepNanos) {
        answersPerWorker[answer.worker()]++;
        busyNanos[answer.worker()] += stepNanos;
        answers++;
        stalenessSum += answer.staleness();
        maxStaleness = Math.max(maxStaleness, answer.staleness());
        stepStaleness = Math.max(stepStaleness, answer.staleness());
    }

    void lost(int worker, boolean isLost) {
        lost[worker] = isLost;
    }

    boolean isLost(int worker) {
        return lost[worker];
    }

    /** A worker starts a step {@code lead} steps ahead of the slowest worker's finished ones. */
    void started(long lead) {
        maxLead = Math.max(maxLead, lead);
    }

    /** Counts one central step. */
    void count() {
        iterations++;
    }

    /** Records the step just counted, with the metric of its query. */
    void record(double metric) {
        if (steps.size() >= MAX_STEPS) {
            thin();
        }
        steps.add(new Step(iterations, epochs(), seconds(), answers, stepStaleness, metric));
        stepStaleness = 0;
    }

    /** Keeps every second recorded step (the first one always), halving the history's memory and resolution. */
    private void thin() {
        List<Step> kept = new ArrayList<>(steps.size() / 2 + 1);
        for (int i = 0; i < steps.size(); i += 2) {
            kept.add(steps.get(i));
        }
        steps.clear();
        steps.addAll(kept);
    }

    void save(Object query, List<? extends Answer<?>> applied) {
        saved.put(iterations, query);
        if (applied != null) {
            savedAnswers.put(iterations, List.copyOf(applied));
        }
    }

    void end() {
        ended = System.nanoTime();
    }

    /**
     * The largest lead of a started step over the slowest worker: a worker started its step {@code c + lead} when
     * the slowest had finished {@code c}. At most {@code s + 1} under {@link Mode#ssp(int) ssp(s)}.
     */
    public long maxLead() {
        return maxLead;
    }

    /** Central steps so far, recorded or not. */
    public long iterations() {
        return iterations;
    }

    /** The least number of answers any live worker has given (every worker's, if all are lost). */
    public long epochs() {
        return leastOfLive(answersPerWorker);
    }

    /** The least of {@code counts} (by worker index) over the live workers, or over all of them if all are lost. */
    long leastOfLive(long[] counts) {
        long min = Long.MAX_VALUE;
        long all = Long.MAX_VALUE;
        for (int w = 0; w < counts.length; w++) {
            all = Math.min(all, counts[w]);
            if (!lost[w]) {
                min = Math.min(min, counts[w]);
            }
        }
        return min == Long.MAX_VALUE ? all : min;
    }

    /** Seconds since the run began (until it ended). */
    public double seconds() {
        return ((ended == 0 ? System.nanoTime() : ended) - started) / 1e9;
    }

    /** Answers applied in all. */
    public long answers() {
        return answers;
    }

    /** Answers applied per worker, by worker index. */
    public long[] answersPerWorker() {
        return answersPerWorker.clone();
    }

    /** Each worker's statistics, by index. */
    public List<WorkerStats> workers() {
        double wall = seconds();
        List<WorkerStats> stats = new ArrayList<>(answersPerWorker.length);
        for (int w = 0; w < answersPerWorker.length; w++) {
            long n = answersPerWorker[w];
            stats.add(new WorkerStats(w, n, n == 0 ? 0 : busyNanos[w] / 1e9 / n,
                    Math.max(0, wall - busyNanos[w] / 1e9), lost[w]));
        }
        return stats;
    }

    /** The share of the workers' time spent in worker steps, from 0 to 1. */
    public double utilization() {
        long busy = 0;
        for (long b : busyNanos) {
            busy += b;
        }
        double wall = seconds();
        return wall <= 0 ? 0 : Math.min(1, busy / 1e9 / (wall * busyNanos.length));
    }

    /** The largest staleness of an applied answer. */
    public int maxStaleness() {
        return maxStaleness;
    }

    /** The mean staleness of the applied answers. */
    public double meanStaleness() {
        return answers == 0 ? 0 : (double) stalenessSum / answers;
    }

    /** Every recorded central step, in order. */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    /** The last recorded central step, if any. */
    public Optional<Step> last() {
        return steps.isEmpty() ? Optional.empty() : Optional.of(steps.getLast());
    }

    /** The queries saved by {@link Iteration#saveAt}, by iteration (0 for the initial query). */
    public Map<Long, Object> saved() {
        return Collections.unmodifiableMap(saved);
    }

    /** The answers applied at the saved iterations, when {@link Iteration#saveAnswers} asked for them. */
    public Map<Long, List<Answer<?>>> savedAnswers() {
        return Collections.unmodifiableMap(savedAnswers);
    }

    /** The CSV header of {@link #writeCsv}. */
    public static final List<String> CSV_HEADER = List.of("run", "iteration", "epoch", "seconds", "answers",
            "staleness", "metric");

    /**
     * Writes the recorded steps as CSV rows under {@link #CSV_HEADER} (without the header, so that several runs can
     * share one file), each starting with {@code run}, a label for the run.
     */
    public void writeCsv(String run, Appendable out) throws IOException {
        for (Step s : steps) {
            Csv.row(List.of(run, Long.toString(s.iteration()), Long.toString(s.epoch()), number(s.seconds()),
                    Long.toString(s.answers()), Integer.toString(s.staleness()), number(s.metric())), out);
        }
    }

    /** Writes the recorded steps as JSON lines, one object per step, each with a {@code run} field. */
    public void writeJsonLines(String run, Appendable out) throws IOException {
        for (Step s : steps) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("run", run);
            line.put("iteration", s.iteration());
            line.put("epoch", s.epoch());
            line.put("seconds", s.seconds());
            line.put("answers", s.answers());
            line.put("staleness", s.staleness());
            line.put("metric", Double.isNaN(s.metric()) ? null : s.metric());
            out.append(Json.value(line, "history step")).append('\n');
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }
}
