package dev.starling.algorithms.admm;

import dev.starling.MetricRecorder;
import dev.starling.StarlingException;
import dev.starling.Task;
import dev.starling.futures.AsCompleted;
import dev.starling.futures.Futures;
import dev.starling.futures.FuturesTimeoutException;
import dev.starling.futures.TaskFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Consensus ADMM for a {@link LassoProblem}, run through the futures of a network whose workers run
 * {@link AdmmFunctions} and carry the chunks' tags. {@link #prepare} scatters the problem, gathers each chunk's Gram
 * part (for the objective and the exact reference minimum) and warms every chunk up with one update; {@link #run}
 * then runs one variant from z = 0 until the relative gap to the reference is within the tolerance or the time is up:
 * <ul>
 *   <li>{@link Variant#SYNC}: every chunk answers each consensus, and the central step sees all answers;</li>
 *   <li>{@link Variant#ASYNC}: the blog's single update — the consensus moves on every answer, and a new task goes
 *       out at once, for a chunk drawn at random;</li>
 *   <li>{@link Variant#BATCHED}: the blog's batched update — the consensus moves with everything that arrived since
 *       the last update, via {@code batches()}.</li>
 * </ul>
 * The central step keeps running sums (Σ(βᵢ + uᵢ), Σβᵢ, Σ‖βᵢ‖²), so it costs O(k) per answer plus an O(k²) objective,
 * never a pass over the chunks. Not thread-safe: one caller runs one variant at a time.
 */
public final class Admm {
    /** How often a run writes its metrics to the network. */
    private static final Duration METRICS_EVERY = Duration.ofMillis(100);
    /** Untimed updates per chunk in {@link #prepare}. */
    static final int WARM_UP = 10;
    private final Futures futures;
    private final LassoProblem problem;
    private final int workers;
    private final Reference reference;

    /** The variants. */
    public enum Variant {
        /** All chunks answer each consensus. */
        SYNC,
        /** The consensus moves on every answer. */
        ASYNC,
        /** The consensus moves on every batch of answers. */
        BATCHED,
        /**
         * Beyond the blog: as {@link #ASYNC}, but the next task goes to the worker that answered, for the chunk of its
         * own it updated least recently — each worker keeps two tasks of its own and never waits for another's
         * (AsynchronousIterativeAlgorithms.jl's way; Dask's peer script calls it async-owner).
         */
        OWNER
    }

    /**
     * How one run goes.
     *
     * @param variant   the variant
     * @param timeLimit when to give up
     * @param tolerance the relative gap to the reference at which the run has converged
     * @param straggler how many times slower the worker tagged {@link AdmmFunctions#STRAGGLER} runs (1: none)
     * @param seed      the seed of the random chunk choices of the asynchronous variants
     */
    public record Settings(Variant variant, Duration timeLimit, double tolerance, double straggler, long seed) {
        public Settings {
            Objects.requireNonNull(variant, "variant");
            if (timeLimit.isNegative() || timeLimit.isZero()) {
                throw new IllegalArgumentException("time limit must be positive, was " + timeLimit);
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("tolerance must be positive, was " + tolerance);
            }
            if (!(straggler >= 1)) {
                throw new IllegalArgumentException("straggler factor must be at least 1, was " + straggler);
            }
        }
    }

    /**
     * The state after one central step.
     *
     * @param seconds   since the run began
     * @param updates   answers applied so far
     * @param primal    the RMS primal residual, sqrt(mean over chunks of ‖βᵢ − z‖²)
     * @param dual      the dual residual ρ √N ‖z − z_previous‖
     * @param objective f(z)
     * @param gap       (f(z) − f*) / |f*|
     * @param staleness the largest staleness of the answers this step applied: consensus versions between the
     *                  version the task was sent with and the one it was applied to
     */
    public record Step(double seconds, long updates, double primal, double dual, double objective, double gap,
                       int staleness) {
    }

    /**
     * One task as the worker ran it, for a task-stream picture.
     *
     * @param worker  the worker's id
     * @param chunk   the chunk
     * @param started epoch microseconds
     * @param ended   epoch microseconds
     */
    public record Bar(String worker, int chunk, long started, long ended) {
    }

    /**
     * How a run went.
     *
     * @param variant             the variant
     * @param workers             workers in the network
     * @param chunks              chunks
     * @param updates             answers applied
     * @param seconds             how long the run took
     * @param secondsToTolerance  when the gap first reached the tolerance, or -1 if it never did
     * @param updatesToTolerance  answers applied by then, or -1
     * @param objective           f(z) at the end
     * @param reference           the exact minimum f*
     * @param gap                 the relative gap at the end
     * @param primal              the primal residual at the end
     * @param dual                the dual residual at the end
     * @param meanStaleness       the mean staleness of the applied answers
     * @param maxStaleness        the largest staleness of an applied answer
     * @param utilization         the share of the workers' time spent in updates (straggling included)
     * @param centralMicros       the central step's time per answer (apply, consensus, metrics, next submit)
     * @param trace               every central step
     * @param stream              every applied task
     * @param startedMicros       when the run began (epoch microseconds), the origin of {@code stream}
     */
    public record Result(Variant variant, int workers, int chunks, long updates, double seconds,
                         double secondsToTolerance, long updatesToTolerance, double objective, double reference,
                         double gap, double primal, double dual, double meanStaleness, int maxStaleness,
                         double utilization, double centralMicros, List<Step> trace, List<Bar> stream,
                         long startedMicros) {

        /** Whether the gap reached the tolerance. */
        public boolean converged() {
            return secondsToTolerance >= 0;
        }
    }

    private Admm(Futures futures, LassoProblem problem, int workers, Reference reference) {
        this.futures = futures;
        this.problem = problem;
        this.workers = workers;
        this.reference = reference;
    }

    /**
     * Sets up ADMM for {@code problem} on the network of {@code futures}, whose {@code workers} workers run
     * {@link AdmmFunctions} with the tags of {@link AdmmFunctions#tags}: scatters the problem, gathers the chunks'
     * Gram parts, computes the reference minimum and warms every chunk up with {@value #WARM_UP} updates.
     *
     * @param timeout how long setting up may take (the workers generate their chunks now)
     * @throws StarlingException when a chunk's task fails or setting up takes longer than {@code timeout}
     */
    public static Admm prepare(Futures futures, LassoProblem problem, int workers, Duration timeout)
            throws InterruptedException {
        futures.scatter(AdmmFunctions.PROBLEM, problem);
        List<Integer> chunks = IntStream.range(0, problem.chunks()).boxed().toList();
        List<AdmmFunctions.Gram> grams = Futures.gather(futures.map(AdmmFunctions.GRAM, chunks,
                AdmmFunctions::route), timeout);
        int k = problem.features();
        double[] g = new double[k * k];
        double[] c = new double[k];
        double yy = 0;
        for (AdmmFunctions.Gram part : grams) {
            for (int i = 0; i < g.length; i++) {
                g[i] += part.g()[i];
            }
            for (int j = 0; j < k; j++) {
                c[j] += part.c()[j];
            }
            yy += part.yy();
        }
        Admm admm = new Admm(futures, problem, workers, new Reference(g, c, yy, problem.lambda()));
        // Warm-up, untimed as in Dask's script: WARM_UP updates per chunk, so that the workers' JIT has compiled
        // the update path (a fresh worker process interprets it at first) before a variant is timed.
        double[] zero = new double[k];
        List<AdmmFunctions.Update> warmUp = chunks.stream()
                .map(i -> new AdmmFunctions.Update(i, zero, zero, zero, 1)).toList();
        for (int round = 0; round < WARM_UP; round++) {
            Futures.gather(futures.map(AdmmFunctions.UPDATE, warmUp, u -> AdmmFunctions.route(u.chunk())), timeout);
        }
        return admm;
    }

    /** The problem. */
    public LassoProblem problem() {
        return problem;
    }

    /** The exact minimum of the objective, f*. */
    public double referenceMinimum() {
        return reference.minimum();
    }

    /** The objective at {@code z}, from the gathered Gram matrix. */
    public double objective(double[] z) {
        return reference.objective(z);
    }

    /**
     * Runs one variant from z = 0; see the class comment. {@code onStep} sees every central step. The residuals, gap
     * and staleness also go to the network's metrics (at most ten points a second), for the dashboard.
     */
    public Result run(Settings settings, Consumer<Step> onStep) throws InterruptedException {
        try (MetricRecorder metrics = MetricRecorder.on(futures.network(), METRICS_EVERY)) {
            Run run = new Run(settings, onStep.andThen(step -> metrics.record(Map.of("primal", step.primal(),
                    "dual", step.dual(), "gap", step.gap(), "objective", step.objective(),
                    "staleness", (double) step.staleness()))));
            switch (settings.variant()) {
                case SYNC -> run.sync();
                case ASYNC -> run.async(false, false);
                case BATCHED -> run.async(true, false);
                case OWNER -> run.async(false, true);
            }
            return run.result();
        }
    }

    /** Soft thresholding: sign(x) max(|x| − t, 0). */
    static double shrink(double x, double t) {
        return x > t ? x - t : x < -t ? x + t : 0;
    }

    /** The state of one run; confined to the calling thread. */
    private final class Run {
        private final Settings settings;
        private final Consumer<Step> onStep;
        private final int n = problem.chunks();
        private final int k = problem.features();
        private final double[][] betas = new double[n][k];
        private final double[][] u = new double[n][k];
        private double[] z = new double[k];
        /** Σ(βᵢ + uᵢ), Σβᵢ and Σ‖βᵢ‖², kept up to date with every change. */
        private final double[] sum = new double[k];
        private final double[] sumBeta = new double[k];
        private double sumBetaSquared;
        private int version;
        private long updates;
        private final List<Step> trace = new ArrayList<>();
        private final List<Bar> stream = new ArrayList<>();
        private final long startNanos = System.nanoTime();
        private final long startMicros = AdmmFunctions.micros(Instant.now());
        private final long deadline;
        private double toTolerance = -1;
        private long updatesToTolerance = -1;
        private long centralNanos;
        private long stalenessSum;
        private int maxStaleness;
        private long busyMicros;
        private double primal = Double.NaN;
        private double dual = Double.NaN;

        Run(Settings settings, Consumer<Step> onStep) {
            this.settings = settings;
            this.onStep = onStep;
            this.deadline = startNanos + settings.timeLimit().toNanos();
        }

        private double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        private boolean done() {
            return toTolerance >= 0 || System.nanoTime() >= deadline;
        }

        /** Sends one update per chunk of {@code chunks} in one push (one round trip on a server store). */
        private List<TaskFuture<AdmmFunctions.Answer>> submit(List<Integer> chunks) {
            List<AdmmFunctions.Update> updates = new ArrayList<>(chunks.size());
            for (int chunk : chunks) {
                updates.add(new AdmmFunctions.Update(chunk, betas[chunk], z, u[chunk], settings.straggler()));
            }
            return futures.map(AdmmFunctions.UPDATE, updates, update -> AdmmFunctions.route(update.chunk()));
        }

        /** Replaces chunk i's β, keeping the running sums. */
        private void setBeta(int i, double[] beta) {
            double[] old = betas[i];
            double squared = 0;
            for (int j = 0; j < k; j++) {
                double d = beta[j] - old[j];
                sum[j] += d;
                sumBeta[j] += d;
                squared += beta[j] * beta[j] - old[j] * old[j];
            }
            sumBetaSquared += squared;
            betas[i] = beta;
        }

        /** u_i += β_i − z, keeping the running sum. */
        private void stepDual(int i) {
            for (int j = 0; j < k; j++) {
                double d = betas[i][j] - z[j];
                u[i][j] += d;
                sum[j] += d;
            }
        }

        /** z = shrink(scale × Σ(βᵢ + uᵢ) / N); then the metrics of the step. */
        private void consensus(double scale, int staleness) {
            double[] previous = z;
            double[] next = new double[k];
            double t = problem.lambda() / (problem.rho() * n);
            for (int j = 0; j < k; j++) {
                next[j] = shrink(scale * sum[j] / n, t);
            }
            z = next;
            version++;
            double zz = 0;
            double zBeta = 0;
            double dz = 0;
            for (int j = 0; j < k; j++) {
                zz += z[j] * z[j];
                zBeta += z[j] * sumBeta[j];
                dz += (z[j] - previous[j]) * (z[j] - previous[j]);
            }
            primal = Math.sqrt(Math.max(0, (sumBetaSquared - 2 * zBeta + n * zz) / n));
            dual = problem.rho() * Math.sqrt(n) * Math.sqrt(dz);
            double objective = reference.objective(z);
            double gap = (objective - reference.minimum()) / Math.abs(reference.minimum());
            Step step = new Step(seconds(), updates, primal, dual, objective, gap, staleness);
            trace.add(step);
            if (toTolerance < 0 && gap <= settings.tolerance()) {
                toTolerance = step.seconds();
                updatesToTolerance = updates;
            }
            onStep.accept(step);
        }

        private AdmmFunctions.Answer answer(TaskFuture<AdmmFunctions.Answer> f, int chunk) {
            AdmmFunctions.Answer answer = f.resultNow();
            String worker = f.task().map(Task::worker).orElse("?");
            stream.add(new Bar(worker, chunk, answer.started(), answer.ended()));
            busyMicros += answer.ended() - answer.started();
            return answer;
        }

        private long left() {
            return Math.max(1, deadline - System.nanoTime());
        }

        void sync() throws InterruptedException {
            List<Integer> all = IntStream.range(0, n).boxed().toList();
            while (!done()) {
                long c0 = System.nanoTime();
                List<TaskFuture<AdmmFunctions.Answer>> round = submit(all);
                centralNanos += System.nanoTime() - c0;
                try {
                    Futures.gather(round, Duration.ofNanos(left()));
                } catch (FuturesTimeoutException e) {
                    futures.cancel(round);
                    break;
                }
                long c1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    setBeta(i, answer(round.get(i), i).beta());
                    updates++;
                }
                consensus(1, 0);
                for (int i = 0; i < n; i++) {
                    stepDual(i);
                }
                centralNanos += System.nanoTime() - c1;
            }
        }

        /** The chunk of the same owner as {@code chunk} (chunks ≡ chunk mod workers) sent least recently. */
        private int leastRecent(int chunk, long[] lastSent, boolean[] inFlight) {
            int best = -1;
            for (int j = chunk % workers; j < n; j += workers) {
                if (!inFlight[j] && (best < 0 || lastSent[j] < lastSent[best])) {
                    best = j;
                }
            }
            return best < 0 ? chunk : best;
        }

        void async(boolean batched, boolean owner) throws InterruptedException {
            SplittableRandom random = new SplittableRandom(settings.seed());
            Map<TaskFuture<AdmmFunctions.Answer>, int[]> sent = new HashMap<>();
            AsCompleted<AdmmFunctions.Answer> completed = Futures.asCompleted(List.of());
            long[] lastSent = new long[n];
            boolean[] inFlight = new boolean[n];
            long sends = 0;
            List<Integer> first = new ArrayList<>();
            for (int s = 0; s < 2 * workers; s++) {
                int chunk = owner ? leastRecent(s % workers, lastSent, inFlight) : random.nextInt(n);
                lastSent[chunk] = ++sends;
                inFlight[chunk] = true;
                first.add(chunk);
            }
            send(first, sent, completed);
            try {
                while (!done()) {
                    List<TaskFuture<AdmmFunctions.Answer>> batch = batched
                            ? completed.nextBatch(Duration.ofNanos(left()))
                            : completed.next(Duration.ofNanos(left())).map(List::of).orElse(List.of());
                    if (batch.isEmpty()) {
                        break;
                    }
                    long c0 = System.nanoTime();
                    int staleness = 0;
                    List<Integer> answered = new ArrayList<>(batch.size());
                    for (TaskFuture<AdmmFunctions.Answer> f : batch) {
                        int[] what = sent.remove(f);
                        answered.add(what[0]);
                        inFlight[what[0]] = false;
                        if (f.isCompletedExceptionally()) {
                            throw new StarlingException("an update of chunk " + what[0] + " failed",
                                    f.exceptionNow());
                        }
                        setBeta(what[0], answer(f, what[0]).beta());
                        updates++;
                        int stale = version - what[1];
                        staleness = Math.max(staleness, stale);
                        stalenessSum += stale;
                        maxStaleness = Math.max(maxStaleness, stale);
                    }
                    // The blog inflates the early consensus, while fewer answers than chunks have arrived.
                    consensus(updates < n ? (double) n / (updates + 1) : 1, staleness);
                    if (done()) {
                        centralNanos += System.nanoTime() - c0;
                        break;
                    }
                    List<Integer> next = new ArrayList<>(batch.size());
                    for (int b = 0; b < batch.size(); b++) {
                        int chunk = owner ? leastRecent(answered.get(b), lastSent, inFlight) : random.nextInt(n);
                        lastSent[chunk] = ++sends;
                        inFlight[chunk] = true;
                        stepDual(chunk);
                        next.add(chunk);
                    }
                    send(next, sent, completed);
                    centralNanos += System.nanoTime() - c0;
                }
            } finally {
                // Unlike Dask's, a cancel here stops queued and running updates alike.
                futures.cancel(sent.keySet());
            }
        }

        private void send(List<Integer> chunks, Map<TaskFuture<AdmmFunctions.Answer>, int[]> sent,
                          AsCompleted<AdmmFunctions.Answer> completed) {
            List<TaskFuture<AdmmFunctions.Answer>> sentNow = submit(chunks);
            for (int i = 0; i < chunks.size(); i++) {
                sent.put(sentNow.get(i), new int[] {chunks.get(i), version});
                completed.add(sentNow.get(i));
            }
        }

        Result result() {
            double seconds = seconds();
            Step last = trace.isEmpty() ? null : trace.getLast();
            double objective = last == null ? reference.objective(z) : last.objective();
            double gap = (objective - reference.minimum()) / Math.abs(reference.minimum());
            double utilization = busyMicros / (workers * seconds * 1e6);
            return new Result(settings.variant(), workers, n, updates, seconds, toTolerance, updatesToTolerance,
                    objective, reference.minimum(), gap, primal, dual,
                    updates == 0 ? 0 : (double) stalenessSum / updates, maxStaleness, Math.min(1, utilization),
                    updates == 0 ? 0 : centralNanos / 1e3 / updates, List.copyOf(trace), List.copyOf(stream),
                    startMicros);
        }
    }
}
