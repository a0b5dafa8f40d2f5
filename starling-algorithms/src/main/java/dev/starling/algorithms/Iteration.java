package dev.starling.algorithms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Controller;
import dev.starling.MetricRecorder;
import dev.starling.StarlingException;
import dev.starling.WorkerOptions;
import dev.starling.futures.AsCompleted;
import dev.starling.futures.Futures;
import dev.starling.futures.RouteUnservedException;
import dev.starling.futures.TaskFuture;
import dev.starling.internal.Classes;
import dev.starling.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link Algorithm} on a network, in the spirit of AsynchronousIterativeAlgorithms.jl's {@code start}:
 * <pre>{@code
 * Iteration.Result<double[]> r = Iteration.of(GradientDescent.class).problem(Shares.class)
 *         .mode(Mode.ASYNC).stopAt(Stop.iterations(1_000).or(Stop.time(Duration.ofSeconds(30))))
 *         .workers(4).run(controller);
 * }</pre>
 * The run starts {@code workers} worker threads on the controller ({@link IterationFunctions}, worker {@code i} tagged
 * {@code iterate.worker=i}), or uses workers already running with those tags ({@link #startWorkers(boolean)}: worker
 * processes, other machines). Each worker builds its problem once, from its index; queries and answers travel as JSON,
 * numeric arrays in binary form; staleness is exact: the query versions published between a query's send and its
 * answer's apply.
 *
 * <p><b>Lost workers.</b> When no running worker has carried a worker's tag for {@link #lostAfter} (its process died
 * and its heartbeat expired), that worker counts as lost: the asynchronous modes go on without it, and epochs count
 * only live workers; the synchronous mode goes on without it when at most {@link #resilience} workers are lost, and
 * otherwise waits. A lost worker is sent the newest query again every {@code lostAfter}; a replacement started with
 * its tag rebuilds its problem from the index, answers, and counts as live again. An answer is applied at most once.
 *
 * <p>An immutable value: each setter returns a new one. {@link #run} is not meant to be called from several threads
 * at once on one network.
 *
 * @param <P> the problem
 * @param <Q> the query
 * @param <A> the answer
 */
public final class Iteration<P, Q, A> {
    private static final Logger LOG = LoggerFactory.getLogger(Iteration.class);
    /** How often a run that waits for answers checks its stop criterion (a time limit, a predicate). */
    private static final Duration IDLE_CHECK = Duration.ofMillis(100);
    /** How often a run writes its metrics to the network for the dashboard: ten points a second at most. */
    private static final Duration METRICS_EVERY = Duration.ofMillis(100);

    private Class<? extends Algorithm<P, Q, A>> algorithm;
    private Object algorithmSettings;
    private Class<? extends ProblemBuilder<P>> problem;
    private Object problemSettings;
    private Mode mode = Mode.ASYNC;
    private Stop stop = Stop.iterations(100);
    private int workers = 2;
    private boolean startWorkers = true;
    private Stragglers stragglers = Stragglers.NONE;
    private int recordEvery = 1;
    private Set<Long> saveAt = Set.of();
    private boolean saveAnswers;
    private int resilience;
    private Duration lostAfter = Duration.ofSeconds(2);

    private Iteration() {
    }

    private Iteration<P, Q, A> with(Consumer<Iteration<P, Q, A>> change) {
        Iteration<P, Q, A> copy = new Iteration<>();
        copy.algorithm = algorithm;
        copy.algorithmSettings = algorithmSettings;
        copy.problem = problem;
        copy.problemSettings = problemSettings;
        copy.mode = mode;
        copy.stop = stop;
        copy.workers = workers;
        copy.startWorkers = startWorkers;
        copy.stragglers = stragglers;
        copy.recordEvery = recordEvery;
        copy.saveAt = saveAt;
        copy.saveAnswers = saveAnswers;
        copy.resilience = resilience;
        copy.lostAfter = lostAfter;
        change.accept(copy);
        return copy;
    }

    /**
     * An iteration of {@code algorithm}, created with its public no-argument constructor: asynchronous, 2 workers,
     * stopping after 100 central steps.
     */
    public static <P, Q, A> Iteration<P, Q, A> of(Class<? extends Algorithm<P, Q, A>> algorithm) {
        return of(algorithm, null);
    }

    /**
     * An iteration of {@code algorithm}, created on the central node and on every worker with its public constructor
     * of one parameter, given {@code settings} (a record; it travels as JSON); null for the no-argument constructor.
     */
    public static <P, Q, A> Iteration<P, Q, A> of(Class<? extends Algorithm<P, Q, A>> algorithm, Object settings) {
        Iteration<P, Q, A> it = new Iteration<>();
        it.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        it.algorithmSettings = settings;
        return it;
    }

    /** The class that builds each worker's problem (and the central node's), with its no-argument constructor. */
    public Iteration<P, Q, A> problem(Class<? extends ProblemBuilder<P>> builder) {
        return problem(builder, null);
    }

    /** The class that builds each problem, created with its constructor of one parameter, given {@code settings}. */
    public Iteration<P, Q, A> problem(Class<? extends ProblemBuilder<P>> builder, Object settings) {
        Objects.requireNonNull(builder, "problem");
        return with(c -> {
            c.problem = builder;
            c.problemSettings = settings;
        });
    }

    /** The mode; {@link Mode#ASYNC} by default. */
    public Iteration<P, Q, A> mode(Mode next) {
        Objects.requireNonNull(next, "mode");
        return with(c -> c.mode = next);
    }

    /** When to stop; after 100 central steps by default. */
    public Iteration<P, Q, A> stopAt(Stop criterion) {
        Objects.requireNonNull(criterion, "stop");
        return with(c -> c.stop = criterion);
    }

    /** How many workers; 2 by default. */
    public Iteration<P, Q, A> workers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an iteration needs at least 1 worker, was " + count);
        }
        return with(c -> c.workers = count);
    }

    /**
     * Whether {@link #run} starts the workers as threads of this JVM (the default), or uses workers already running
     * in the network with the tags {@link IterationFunctions#tag(int)}.
     */
    public Iteration<P, Q, A> startWorkers(boolean start) {
        return with(c -> c.startWorkers = start);
    }

    /** Injected stragglers; none by default. */
    public Iteration<P, Q, A> stragglers(Stragglers model) {
        Objects.requireNonNull(model, "stragglers");
        return with(c -> c.stragglers = model);
    }

    /**
     * Records a {@link History.Step} (and computes the algorithm's metric) every {@code k} central steps, and at the
     * last one; every step by default. Iteration, epoch and time criteria are still judged after every central step;
     * metric criteria only at recorded ones.
     */
    public Iteration<P, Q, A> recordEvery(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("record every k ≥ 1 central steps, was " + k);
        }
        return with(c -> c.recordEvery = k);
    }

    /** Saves the query after these central steps (0: the initial query) in {@link History#saved()}. */
    public Iteration<P, Q, A> saveAt(long... iterations) {
        Set<Long> at = LongStream.of(iterations).boxed().collect(Collectors.toUnmodifiableSet());
        if (at.stream().anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException("save at iterations ≥ 0, was " + Arrays.toString(iterations));
        }
        return with(c -> c.saveAt = at);
    }

    /** Whether to save, with each saved query, the answers its central step applied. */
    public Iteration<P, Q, A> saveAnswers(boolean save) {
        return with(c -> c.saveAnswers = save);
    }

    /**
     * How many lost workers the synchronous mode may go on without (AsynchronousIterativeAlgorithms.jl's
     * {@code resilience}); 0 by default: it waits for their replacements.
     */
    public Iteration<P, Q, A> resilience(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("resilience is a number of workers ≥ 0, was " + k);
        }
        return with(c -> c.resilience = k);
    }

    /** How long no running worker may carry a worker's tag before it counts as lost; 2 s by default. */
    public Iteration<P, Q, A> lostAfter(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("the wait before a worker counts as lost must be positive, was "
                    + wait);
        }
        return with(c -> c.lostAfter = wait);
    }

    /**
     * The final query and the history of a run.
     *
     * @param query   the last query
     * @param history what happened
     * @param <Q>     the query type
     */
    public record Result<Q>(Q query, History history) {
    }

    /** Runs the iteration on the controller's network until the stop criterion holds. */
    public Result<Q> run(Controller controller) throws InterruptedException {
        if (problem == null) {
            throw new IllegalStateException("give the iteration a problem: .problem(MyProblem.class)");
        }
        if (resilience > 0 && mode.kind() != Mode.Kind.SYNC) {
            throw new IllegalArgumentException("resilience is for the synchronous mode; " + mode + " goes on without"
                    + " lost workers anyway");
        }
        if (mode.kind() == Mode.Kind.QUORUM && mode.parameter() > workers) {
            throw new IllegalArgumentException("a quorum of " + mode.parameter() + " needs at least as many workers,"
                    + " has " + workers);
        }
        JsonNode algorithmJson = algorithmSettings == null ? null : Json.valueTree(algorithmSettings);
        JsonNode problemJson = problemSettings == null ? null : Json.valueTree(problemSettings);
        @SuppressWarnings("unchecked")
        Algorithm<P, Q, A> central = Classes.instantiate(algorithm.getName(), Algorithm.class,
                "algorithm", algorithmJson);
        @SuppressWarnings("unchecked")
        ProblemBuilder<P> builder = Classes.instantiate(problem.getName(),
                ProblemBuilder.class, "problem builder", problemJson);
        if (central instanceof Aggregation<?, ?> a) {
            a.workers(workers);
        } else if (central instanceof Averaging<?, ?> a) {
            a.workers(workers);
        }
        P centralProblem = builder.central(workers);
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        try (Futures futures = Futures.on(controller.network())) {
            futures.scatter(IterationFunctions.SPEC + runId, new IterationFunctions.Spec(algorithm.getName(),
                    algorithmJson, problem.getName(), problemJson, workers, stragglers.slowdowns(workers)));
            futures.failUnservedRoutesAfter(lostAfter);
            if (startWorkers) {
                for (int i = 0; i < workers; i++) {
                    controller.startWorkers(1, new IterationFunctions(), WorkerOptions.builder().virtualThread(false)
                            .tags(Set.of(IterationFunctions.tag(i))).build());
                }
            }
            try (MetricRecorder metrics = MetricRecorder.on(controller.network(), METRICS_EVERY)) {
                return new Run(runId, central, centralProblem, futures, metrics).run();
            }
        }
    }

    /** An answer waiting for its round's central step, with its worker step's time. */
    private record Arrived<A>(Answer<A> answer, long nanos) {
    }

    /** One run's central state; confined to the calling thread. */
    private final class Run {
        private final String id;
        private final Algorithm<P, Q, A> central;
        private final P problemOfCentral;
        private final Futures futures;
        private final History history = new History(workers);
        private final MetricRecorder metrics;
        private final AsCompleted<IterationFunctions.StepOutput> completed = Futures.asCompleted(List.of());
        private final Map<TaskFuture<IterationFunctions.StepOutput>, Integer> owner = new HashMap<>();
        private final int[] sentVersion = new int[workers];
        private final boolean[] busy = new boolean[workers];
        /** Steps each worker has finished, for the staleness bound (a rejoining worker starts at the slowest). */
        private final long[] done = new long[workers];
        private final int bound;
        private int lost;
        private Q query;
        private int version;

        Run(String id, Algorithm<P, Q, A> central, P problemOfCentral, Futures futures, MetricRecorder metrics) {
            this.id = id;
            this.metrics = metrics;
            this.central = central;
            this.problemOfCentral = problemOfCentral;
            this.futures = futures;
            this.bound = mode.kind() == Mode.Kind.SSP ? mode.parameter() : Integer.MAX_VALUE;
            this.query = central.init(problemOfCentral);
            if (saveAt.contains(0L)) {
                history.save(query, saveAnswers ? List.of() : null);
            }
        }

        Result<Q> run() throws InterruptedException {
            List<Integer> ready = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                ready.add(i);
            }
            List<Arrived<A>> round = new ArrayList<>();
            try {
                while (true) {
                    dispatch(ready);
                    ready.clear();
                    List<TaskFuture<IterationFunctions.StepOutput>> batch = completed.nextBatch(IDLE_CHECK);
                    if (batch.isEmpty() && stop.test(history)) {
                        // Stopped while waiting (for a lost worker's replacement, or a slow step): by time or a
                        // predicate.
                        if (history.last().map(l -> l.iteration() != history.iterations()).orElse(true)) {
                            record(central.metric(query, problemOfCentral));
                        }
                        return new Result<>(query, history);
                    }
                    for (TaskFuture<IterationFunctions.StepOutput> f : batch) {
                        int w = owner.remove(f);
                        busy[w] = false;
                        if (f.isCompletedExceptionally()) {
                            Throwable cause = f.exceptionNow();
                            if (!(cause instanceof RouteUnservedException)) {
                                throw new StarlingException("the worker step of worker " + w + " failed: " + cause,
                                        cause);
                            }
                            if (!history.isLost(w)) {
                                lost++;
                                history.lost(w, true);
                                LOG.warn("iteration {}: worker {} is lost (no running worker has carried its tag for"
                                        + " {}); going on with {} of {} workers", id, w, lostAfter, workers - lost,
                                        workers);
                            }
                            ready.add(w);
                            continue;
                        }
                        IterationFunctions.StepOutput out = f.resultNow();
                        if (history.isLost(w)) {
                            // Counted from the slowest live worker, so that it does not hold the others back.
                            long base = slowest();
                            lost--;
                            history.lost(w, false);
                            done[w] = Math.max(done[w], base);
                            LOG.info("iteration {}: worker {} is back", id, w);
                        }
                        Answer<A> answer = new Answer<>(decode(out.answer(), w), w, sentVersion[w],
                                version - sentVersion[w]);
                        switch (mode.kind()) {
                            case ASYNC, SSP -> {
                                apply(answer, out.nanos());
                                if (step(central.central(answer, problemOfCentral), List.of(answer))) {
                                    return new Result<>(query, history);
                                }
                            }
                            case SYNC -> {
                                if (answer.version() != version) {
                                    // A replacement's answer to a query older than this round's: not applied.
                                    ready.add(w);
                                    continue;
                                }
                                round.add(new Arrived<>(answer, out.nanos()));
                            }
                            case QUORUM -> round.add(new Arrived<>(answer, out.nanos()));
                        }
                    }
                    if (!round.isEmpty() && roundComplete(round)) {
                        if (mode.kind() == Mode.Kind.SYNC) {
                            // By worker, so that a synchronous run repeats exactly, whatever the arrival order.
                            round.sort(Comparator.comparingInt(a -> a.answer().worker()));
                        }
                        List<Answer<A>> applied = new ArrayList<>(round.size());
                        for (Arrived<A> a : round) {
                            apply(a.answer(), a.nanos());
                            applied.add(a.answer());
                        }
                        round.clear();
                        if (step(central.central(applied, problemOfCentral), applied)) {
                            return new Result<>(query, history);
                        }
                    }
                    long slowest = slowest();
                    for (int w = 0; w < workers; w++) {
                        if (!busy[w] && !ready.contains(w) && !waitsForRound(w, round)
                                && (bound == Integer.MAX_VALUE || done[w] + 1 <= slowest + bound + 1)) {
                            ready.add(w);
                        }
                    }
                }
            } finally {
                history.end();
                futures.cancel(owner.keySet());
            }
        }

        /** Whether a synchronous or quorum round may run its central step on the answers it has. */
        private boolean roundComplete(List<Arrived<A>> round) {
            if (mode.kind() == Mode.Kind.QUORUM) {
                return round.size() >= mode.parameter();
            }
            if (lost > resilience) {
                return round.size() == workers;
            }
            boolean[] answered = new boolean[workers];
            round.forEach(a -> answered[a.answer().worker()] = true);
            for (int w = 0; w < workers; w++) {
                if (!answered[w] && !history.isLost(w)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether worker {@code w} has answered and waits for its synchronous or quorum round's central step. */
        private boolean waitsForRound(int w, List<Arrived<A>> round) {
            return switch (mode.kind()) {
                case SYNC, QUORUM -> round.stream().anyMatch(a -> a.answer().worker() == w);
                case ASYNC, SSP -> false;
            };
        }

        /** The fewest steps a live worker has finished (every worker's, if all are lost). */
        private long slowest() {
            return history.leastOfLive(done);
        }

        private void apply(Answer<A> answer, long nanos) {
            history.applied(answer, nanos);
            done[answer.worker()]++;
        }

        /** Records a step in the history, and in the network's metrics for the dashboard. */
        private void record(double metric) {
            history.record(metric);
            History.Step step = history.last().orElseThrow();
            metrics.record(Map.of("metric", step.metric(), "staleness", (double) step.staleness(), "iteration",
                    (double) step.iteration(), "epoch", (double) step.epoch()));
        }

        /** Publishes the next query; whether the run stops. */
        private boolean step(Q next, List<Answer<A>> applied) {
            query = next;
            version++;
            history.count();
            boolean recorded = history.iterations() % recordEvery == 0;
            if (recorded) {
                record(central.metric(query, problemOfCentral));
            }
            if (saveAt.contains(history.iterations())) {
                history.save(query, saveAnswers ? applied : null);
            }
            if (stop.test(history)) {
                if (!recorded) {
                    history.record(central.metric(query, problemOfCentral));
                }
                return true;
            }
            return false;
        }

        /** Sends the newest query to these workers, in one push. */
        private void dispatch(List<Integer> to) {
            if (to.isEmpty()) {
                return;
            }
            long slowest = slowest();
            JsonNode tree = Json.valueTree(query);
            List<IterationFunctions.StepInput> inputs = new ArrayList<>(to.size());
            for (int w : to) {
                history.started(done[w] + 1 - slowest);
                inputs.add(new IterationFunctions.StepInput(id, w, version, tree));
            }
            List<TaskFuture<IterationFunctions.StepOutput>> sent = futures.map(IterationFunctions.STEP, inputs,
                    IterationFunctions.StepInput::route);
            for (int i = 0; i < to.size(); i++) {
                int w = to.get(i);
                owner.put(sent.get(i), w);
                sentVersion[w] = version;
                busy[w] = true;
                completed.add(sent.get(i));
            }
        }

        private A decode(JsonNode answer, int worker) {
            return Json.bindTree(answer, central.answerType(), "answer of worker " + worker);
        }
    }
}
