package dev.starling.optimize;

import dev.starling.BudgetExhaustedException;
import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.NetworkSettings;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.Task;
import dev.starling.WorkerExit;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import dev.starling.internal.ProcessLauncher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of black-box optimization: configure an optimization on a network, then {@link #run()} it with
 * workers on virtual threads or in worker processes, or drive it yourself through {@link #askTell()}.
 *
 * <pre>{@code
 * OptimizationResult result = Optimization.on(network)
 *         .space(SearchSpace.builder().real("x1", -5, 10).real("x2", 0, 15).build())
 *         .objective(config -> Map.of("y", f(config)))
 *         .optimizer(Optimizer.adbo())
 *         .terminator(Terminator.evaluations(200))
 *         .workers(4)
 *         .run();
 * }</pre>
 *
 * A run on a network that already holds evaluations continues from them: they are in the archive every worker
 * reads, and they count towards the evaluation budget.
 *
 * <p>An optimization is an immutable value: each setter returns a new one, and the order of the calls does not
 * matter ({@code .processes(2).workers(8)} is {@code .workers(8).processes(2)}: 8 workers in 2 processes).
 * Contradictions fail at {@link #run()} with both settings named. Thread-safe.
 */
public final class Optimization {
    private static final Logger LOG = LoggerFactory.getLogger(Optimization.class);
    /** The objective of an ask / tell optimization: its caller evaluates, Starling's workers never do. */
    private static final Objective ASK_TELL = config -> {
        throw new IllegalStateException("an ask / tell optimization evaluates outside Starling");
    };

    private final Network network;
    private SearchSpace space;
    private Objective objective;
    private String problem;
    private List<Outcome> outcomes = List.of(Outcome.minimize("y"));
    /** Whether every outcome is optimized, not only the first. */
    private boolean pareto;
    private Optimizer optimizer = Optimizer.adbo();
    private Terminator terminator;
    /** The number of workers, or 0 for the default (1, or one per process). */
    private int workers;
    /** How often each worker process is replaced when it dies, unless told otherwise. */
    public static final int DEFAULT_MAX_RESTARTS = 3;

    /** Worker processes to spread the workers over; 0 runs them as threads of this JVM. */
    private int processes;
    /** How often each worker process is replaced when it dies. */
    private int maxRestarts = DEFAULT_MAX_RESTARTS;
    private WorkerOptions options = WorkerOptions.defaults();
    private Duration delay = Duration.ZERO;
    private Consumer<Progress> progress = p -> { };

    private Optimization(Network network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    /** An optimization on {@code network}. */
    public static Optimization on(Network network) {
        return new Optimization(network);
    }

    /** A copy of this optimization, for a setter to change. */
    private Optimization copy() {
        Optimization copy = new Optimization(network);
        copy.space = space;
        copy.objective = objective;
        copy.problem = problem;
        copy.outcomes = outcomes;
        copy.pareto = pareto;
        copy.optimizer = optimizer;
        copy.terminator = terminator;
        copy.workers = workers;
        copy.processes = processes;
        copy.maxRestarts = maxRestarts;
        copy.options = options;
        copy.delay = delay;
        copy.progress = progress;
        return copy;
    }

    /** The search space. */
    public Optimization space(SearchSpace space) {
        Optimization next = copy();
        next.space = Objects.requireNonNull(space, "space");
        return next;
    }

    /** The objective; see {@link Objective} for what it may return. */
    public Optimization objective(Objective objective) {
        Optimization next = copy();
        next.objective = Objects.requireNonNull(objective, "objective");
        next.problem = null;
        return next;
    }

    /** A benchmark problem: its space, its objective, and the outcome {@code y} minimized. */
    public Optimization problem(Problem problem) {
        Optimization next = copy();
        next.space = problem.space();
        next.objective = problem.objective();
        next.problem = problem.name();
        next.outcomes = List.of(Outcome.minimize("y"));
        return next;
    }

    /** Minimizes the outcome {@code name} (the default is to minimize {@code y}). */
    public Optimization minimize(String name) {
        return outcomes(Outcome.minimize(name));
    }

    /** Maximizes the outcome {@code name}. */
    public Optimization maximize(String name) {
        return outcomes(Outcome.maximize(name));
    }

    /**
     * The outcomes every evaluation must return, the first ranking evaluations and driving the optimizer; the
     * others are checked and recorded.
     */
    public Optimization outcomes(Outcome first, Outcome... more) {
        return outcomes(first, List.of(more), false);
    }

    /**
     * Optimizes several outcomes at once: the result is the archive's {@link EvaluationArchive#front() Pareto
     * front}, and its {@link EvaluationArchive#hypervolume hypervolume} measures progress. Random search needs
     * nothing more. ADBO and the centralized optimizer scalarise, as ParEGO does: each proposal draws its own weights
     * uniformly from the simplex and fits its surrogate on the augmented Tchebycheff scalarisation
     * {@code max_i(w_i·f_i) + 0.05·Σ w_i·f_i} of the losses, each scaled to [0, 1] over the archive; so the workers
     * spread over the front. The first outcome still ranks {@link EvaluationArchive#best()} and drives the
     * terminators. ASHA and Hyperband optimize one outcome only.
     */
    public Optimization multiObjective(Outcome first, Outcome second, Outcome... more) {
        List<Outcome> rest = new ArrayList<>(List.of(second));
        rest.addAll(List.of(more));
        return outcomes(first, rest, true);
    }

    private Optimization outcomes(Outcome first, List<Outcome> more, boolean optimizeAll) {
        List<Outcome> all = new ArrayList<>(List.of(first));
        all.addAll(more);
        if (all.stream().map(Outcome::name).distinct().count() != all.size()) {
            throw new IllegalArgumentException("outcome names must be distinct, were " + all);
        }
        Optimization next = copy();
        next.outcomes = List.copyOf(all);
        next.pareto = optimizeAll;
        return next;
    }

    /** The optimizer (default {@link Optimizer#adbo()}). */
    public Optimization optimizer(Optimizer optimizer) {
        Optimization next = copy();
        next.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return next;
    }

    /** When to stop; required. */
    public Optimization terminator(Terminator terminator) {
        Optimization next = copy();
        next.terminator = Objects.requireNonNull(terminator, "terminator");
        return next;
    }

    /**
     * How many workers run the optimization (default 1, or one per process with {@link #processes(int)}): threads of
     * this JVM, or spread over the worker processes when {@link #processes(int)} is set. The order of the two calls
     * does not matter.
     *
     * <p>Threads of this JVM are virtual by default. An objective that computes in native code (XGBoost, LightGBM,
     * any JNI library) pins a virtual thread to its carrier, so no more evaluations run at once than there are
     * cores: measured with 32 workers on 2 cores, 2 were busy and utilization was 0.065. Give such an objective
     * platform threads: {@code .workerOptions(WorkerOptions.defaults().withVirtualThread(false))}.
     */
    public Optimization workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of workers must be at least 1, was " + n);
        }
        Optimization next = copy();
        next.workers = n;
        return next;
    }

    /**
     * Runs the workers in {@code n} worker processes on this machine instead of threads: with {@link #workers(int)}
     * {@code w}, the w workers are spread evenly over the n processes (the first take one more when they do not
     * divide); without it, one worker each. Few processes with many workers each start faster than one process per
     * worker. Needs a shared store (Redis) and an objective that processes can rebuild: a {@link Problem}, a
     * {@link Objective#command command}, a public class with a public no-argument constructor, or an
     * {@link Objective.Configured} one.
     *
     * @throws IllegalArgumentException when {@code n} is less than 1
     */
    public Optimization processes(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of worker processes must be at least 1, was " + n);
        }
        Optimization next = copy();
        next.processes = n;
        return next;
    }

    /** Same as {@code processes(n).workers(workers)}. */
    public Optimization processes(int n, int workers) {
        return processes(n).workers(workers);
    }

    /**
     * How many times each worker process is replaced when it dies (killed, crashed, or out of touch with the store
     * past its outage limit), default {@value #DEFAULT_MAX_RESTARTS}; see {@link Controller#restartProcesses}. With
     * replacements the run still ends at its budget exactly: a dead worker's running evaluation is recovered and run
     * again.
     */
    public Optimization maxRestarts(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("max restarts must be zero or more, was " + n);
        }
        Optimization next = copy();
        next.maxRestarts = n;
        return next;
    }

    /** The workers' options (heartbeat, task timeout). */
    public Optimization workerOptions(WorkerOptions options) {
        Optimization next = copy();
        next.options = Objects.requireNonNull(options, "options");
        return next;
    }

    /** Sleeps {@code delay} inside each evaluation, to simulate an expensive objective (default none). */
    public Optimization delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or more, was " + delay);
        }
        Optimization next = copy();
        next.delay = delay;
        return next;
    }

    /** Receives progress about four times a second while {@link #run()} waits. Called on the running thread. */
    public Optimization onProgress(Consumer<Progress> listener) {
        Optimization next = copy();
        next.progress = Objects.requireNonNull(listener, "listener");
        return next;
    }

    /**
     * What a run has done so far.
     *
     * @param completed evaluations completed (including earlier runs on the network)
     * @param budget    the evaluation budget, or -1 when the terminator sets none
     * @param best      the best value of the ranking outcome so far, or NaN
     */
    public record Progress(long completed, long budget, double best) {
    }

    /** The workers to run: as set, or one per process, or one thread. */
    private int workerCount() {
        int count = workers > 0 ? workers : Math.max(1, processes);
        if (processes > count) {
            throw new IllegalArgumentException(processes + " worker processes need at least " + processes
                    + " workers, but workers(" + count + ") was set; every process runs at least one worker");
        }
        return count;
    }

    private Spec spec(Instant started) {
        return spec(started, true);
    }

    /** The spec of this optimization; ask / tell needs no objective (its caller evaluates). */
    private Spec spec(Instant started, boolean needsObjective) {
        if (space == null) {
            throw new IllegalStateException("set a search space first: .space(...) or .problem(...)");
        }
        Objective objective = this.objective;
        if (objective == null && !needsObjective) {
            objective = ASK_TELL;
        }
        if (objective == null) {
            throw new IllegalStateException("set an objective first: .objective(...) or .problem(...)");
        }
        if (terminator == null) {
            throw new IllegalStateException("set a terminator first, e.g. .terminator(Terminator.evaluations(100))");
        }
        if (pareto && optimizer instanceof Optimizer.SuccessiveHalving halving) {
            throw new IllegalArgumentException(halving.name() + " optimizes one outcome; for " + outcomes.size()
                    + " outcomes use random search, adbo or cbo");
        }
        if (optimizer instanceof Optimizer.SuccessiveHalving halving) {
            Halving.of(space, halving, outcomes.getFirst()); // fails here, naming the problem, rather than in workers
        }
        return new Spec(space, outcomes, pareto, objective, Spec.describe(objective, problem), delay, optimizer, terminator,
                started);
    }

    /**
     * Runs the optimization until its terminator says stop and every evaluation has completed; returns the archive
     * and the run's figures. Worker failures and objective exceptions are recorded as FAILED evaluations; the run
     * goes on.
     *
     * @throws IllegalStateException when space, objective or terminator is missing
     * @throws StarlingException     when processes cannot run this optimization (memory store, in-process objective)
     */
    public OptimizationResult run() throws InterruptedException {
        Instant started = network.store().clock().instant();
        Spec spec = spec(started);
        int count = workerCount();
        if (processes > 0 && !spec.portable()) {
            throw new StarlingException("worker processes cannot rebuild this objective ("
                    + spec.objectiveJson().path("inProcess").asText() + "); use a named problem, a command, a"
                    + " public objective class with a public no-argument constructor, or an Objective.Configured"
                    + " one; or run the workers as threads");
        }
        if (processes > 0) {
            ProcessLauncher.requireShared(network.store(), "worker processes");
        }
        network.setBudget(terminator.budget().orElse(NetworkSettings.UNLIMITED));
        warnOfADesignAsLargeAsTheBudget(spec);
        spec.store(network);
        pushInitialDesign(spec);

        try (Controller controller = network.controller()) {
            boolean central = optimizer instanceof Optimizer.Centralized;
            if (processes > 0) {
                controller.restartProcesses(maxRestarts);
                controller.acceptInProcesses(spec.accepted());
                controller.spreadProcesses(processes, count, central ? EvaluationLoop.class : OptimizationLoop.class,
                        options);
            } else {
                rehearse(spec);
                controller.startWorkers(count, central ? new EvaluationLoop(spec) : new OptimizationLoop(spec),
                        options);
            }
            EvaluationArchive archive = new EvaluationArchive(network.archive(), spec.outcomes());
            if (central) {
                proposeCentrally(spec, archive, controller);
            }
            while (!controller.awaitWorkers(Duration.ofMillis(250))) {
                report(archive);
            }
            List<WorkerExit> exits = controller.exits();
            // After an outage past the limit the store is out of reach: the result is what was read before.
            boolean storeGone = exits.stream().anyMatch(e -> e.cause() == WorkerExit.Cause.OUTAGE);
            if (!storeGone) {
                report(archive);
            }
            return result(network, archive, !storeGone, count, started, WorkerExit.shortfall(exits).orElse(null));
        }
    }

    /**
     * Runs a worker's side of one evaluation once, without the objective, on a scratch store of its own: a
     * configuration sampled and encoded, published as a running task, outcomes checked, the task finished and read
     * back. A JVM's first pass through that code loads and initialises its classes; done here, before the workers
     * register, it is not counted against them. Measured with 8 workers and 0.1 s evaluations: from registration
     * to the first task's start took 65 ms (median) without it, 5 ms with it; with 448 workers 139 ms and 39 ms.
     */
    private static void rehearse(Spec spec) {
        try (Store scratch = Store.memory()) {
            Network network = Network.builder(scratch, "rehearsal").create();
            try (WorkerSession session = network.openSession(WorkerOptions.defaults())) {
                Task task = session.create(spec.space().sample(new SplittableRandom(0))).orElseThrow();
                Map<String, Object> values = new HashMap<>();
                spec.outcomes().forEach(o -> values.put(o.name(), 0.0));
                Map<String, Object> outcomes = Evaluator.outcomes(values, spec.outcomes());
                outcomes.put(Evaluation.SECONDS, 0.0);
                session.finish(task, outcomes);
            }
            new EvaluationArchive(network.archive(), spec.outcomes()).update();
        } catch (RuntimeException e) {
            // Only a warm-up: the run itself will meet and report whatever went wrong here.
            LOG.debug("the rehearsal of an evaluation failed: {}", e.toString());
        }
    }

    private void warnOfADesignAsLargeAsTheBudget(Spec spec) {
        spec.surrogate().ifPresent(settings -> terminator.budget().ifPresent(budget -> {
            if (settings.initialDesign() != Optimizer.Surrogate.AUTOMATIC && settings.initialDesign() >= budget) {
                LOG.warn("the initial design of {} configurations is at least the budget of {} evaluations, so the"
                        + " surrogate is never used: this is random search; leave the design to its default, which"
                        + " fits the budget, or set one well below it", settings.initialDesign(), budget);
            }
        }));
    }

    /** Pushes what the initial design still lacks (on a resumed network, the first points may be there already). */
    private void pushInitialDesign(Spec spec) {
        List<Map<String, Object>> design = spec.initialDesign(network.settings().seed());
        long created = network.counts().total();
        if (created >= design.size()) {
            return;
        }
        try (Controller pusher = network.controller()) {
            pusher.push(design.subList((int) created, design.size()));
        }
    }

    /**
     * The centralized optimizer: one proposer keeps one configuration queued for the next free worker until the
     * terminator says stop (then the workers are told to finish), or until its workers have all stopped. An
     * unreachable store is ridden out as the workers ride it out.
     */
    private void proposeCentrally(Spec spec, EvaluationArchive archive, Controller controller)
            throws InterruptedException {
        Proposer proposer = new Proposer(spec, network, new SplittableRandom(network.settings().seed()),
                spec.surrogate().orElseThrow().lambdaMean(), false);
        while (!controller.awaitWorkers(Duration.ZERO)) {
            try {
                if (proposer.done()) {
                    break;
                }
                if (network.counts().queued() > 0) {
                    archive.await(Duration.ofMillis(250));
                    report(archive);
                    continue;
                }
                controller.push(proposer.propose());
            } catch (BudgetExhaustedException e) {
                break;
            } catch (StoreUnavailableException e) {
                LOG.warn("the central proposer cannot reach the store ({}); waiting for it", e.getMessage());
            }
        }
        while (!controller.awaitAll(Duration.ofMillis(250)) && !controller.awaitWorkers(Duration.ZERO)) {
            report(archive);
        }
        controller.terminateWorkers();
    }

    /** Reads what is new and tells the progress listener; an unreachable store skips this report. */
    private void report(EvaluationArchive archive) {
        try {
            archive.update();
        } catch (StoreUnavailableException e) {
            LOG.debug("progress report skipped: {}", e.getMessage());
        }
        long budget = terminator.budget().orElse(-1);
        double best = archive.best().map(e -> e.outcomes().get(archive.outcome().name())).orElse(Double.NaN);
        progress.accept(new Progress(archive.size(), budget, best));
    }

    /**
     * The run's result, from the store, or from what was read before it became unreachable.
     *
     * @param reachable whether the store can still be read for the workers' times
     */
    static OptimizationResult result(Network network, EvaluationArchive archive, boolean reachable, int count,
                                     Instant started, String shortfall) {
        List<WorkerInfo> all = List.of();
        try {
            if (reachable) {
                all = network.workers();
            }
        } catch (StoreUnavailableException e) {
            if (shortfall == null) {
                shortfall = e.getMessage();
            }
        }
        if (all.isEmpty()) {
            // Nothing known of the workers' times: the count as started, utilization unknown.
            return new OptimizationResult(archive, count, Double.NaN,
                    Duration.between(started, network.store().clock().instant()), Optional.ofNullable(shortfall));
        }
        Instant now = network.store().clock().instant();
        Set<String> ours = new HashSet<>();
        double workerSeconds = 0;
        for (WorkerInfo w : all) {
            if (w.started().isBefore(started)) {
                continue;
            }
            ours.add(w.id());
            Instant end = w.stopped() == null ? now : w.stopped();
            workerSeconds += Duration.between(w.started(), end).toNanos() / 1e9;
        }
        double busy = 0;
        for (Evaluation e : archive.evaluations()) {
            if (e.worker() != null && ours.contains(e.worker())) {
                busy += e.busySeconds();
            }
        }
        return new OptimizationResult(archive, ours.size(), workerSeconds > 0 ? busy / workerSeconds : 0,
                Duration.between(started, now), Optional.ofNullable(shortfall));
    }

    /**
     * Runs this optimization in virtual time against {@code replay} instead of its objective, with each of its
     * {@link #workers(int) workers} on a core of its own: the scale of the rush paper's cluster, on a machine of two
     * cores. Evaluations take their recorded time on the virtual clock and return their recorded outcomes; the
     * optimizer's work (proposals, store calls) really runs, one worker at a time, and takes the CPU time it took.
     * Utilization is then what this optimizer would keep with that many cores. The run uses a fresh in-process
     * network named as this one, with its seed; this optimization's own network is not touched. The objective, the
     * processes and the delay are not used. Random search, ADBO, the centralized optimizer and ASHA / Hyperband all
     * run; a run-time terminator counts virtual time.
     *
     * @throws IllegalStateException when space or terminator is missing
     */
    public SimulationResult simulate(Replay replay) {
        Objects.requireNonNull(replay, "replay");
        Optimization replayed = objective(replay.objective());
        Spec spec = replayed.spec(Simulation.ORIGIN);
        Simulation simulation = new Simulation(spec, replay, workerCount(), network.name(), network.settings().seed(),
                terminator.budget().orElse(NetworkSettings.UNLIMITED), progress);
        return simulation.run();
    }

    /**
     * What a {@link #simulate simulated} run produced: the run's result in virtual time, and what its proposals cost.
     *
     * @param run                  the archive, the workers, their utilization and the virtual time the run took
     * @param proposals            how many configurations the optimizer proposed (the initial design not counted)
     * @param medianProposal       the median CPU seconds of one proposal
     * @param p90Proposal          the 90th percentile of the same
     * @param maxProposal          the longest proposal
     * @param centralProposerBusy  for the centralized optimizer, the share of the run its proposer spent proposing
     *                             (1 when the workers wait on it); NaN for decentralized optimizers
     */
    public record SimulationResult(OptimizationResult run, int proposals, double medianProposal, double p90Proposal,
                                   double maxProposal, double centralProposerBusy) {
        /** One line of the proposals' cost, e.g. {@code proposals 4464: median 12.1 ms, p90 20.3 ms, max 41 ms}. */
        public String proposalSummary() {
            String line = String.format(java.util.Locale.ROOT, "proposals %d: median %.1f ms, p90 %.1f ms, max %.1f"
                    + " ms", proposals, medianProposal * 1e3, p90Proposal * 1e3, maxProposal * 1e3);
            return Double.isNaN(centralProposerBusy) ? line : line + String.format(java.util.Locale.ROOT,
                    "; the central proposer was busy %.1f%% of the run", 100 * centralProposerBusy);
        }
    }

    /**
     * An ask / tell interface on this optimization's network, for users who drive their own loop. It uses this
     * optimization's space, outcomes, optimizer and terminator (an objective is not needed). Close it when done.
     */
    public AskTell askTell() {
        Spec spec = spec(network.store().clock().instant(), false);
        network.setBudget(terminator.budget().orElse(NetworkSettings.UNLIMITED));
        spec.store(network);
        return new AskTell(network, spec, options);
    }
}
