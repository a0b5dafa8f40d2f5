package dev.starling.optimize;

import dev.starling.Network;
import dev.starling.Task;
import dev.starling.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One proposer of an optimization: a worker of a decentralized optimizer, or the central proposer. Reads the
 * network's archive incrementally, checks the terminator, and proposes the next configuration. Confined to one thread.
 */
final class Proposer {
    /** The outcome a multi-objective surrogate is fitted on: the scalarisation of the losses. */
    private static final Outcome SCALARISED = Outcome.minimize("_scalarised");
    /** The weight of the sum in ParEGO's augmented Tchebycheff scalarisation. */
    private static final double AUGMENTATION = 0.05;
    private final Spec spec;
    private final Network network;
    private final RandomGenerator random;
    private final EvaluationArchive archive;
    /**
     * The surrogate search of a single-outcome optimization, kept across proposals because it reads the archive
     * incrementally; null for random search, successive halving, and several outcomes (each proposal of those builds
     * its own).
     */
    private final SurrogateSearch search;
    /** The rule of successive halving, or null for the other optimizers. */
    private final Halving halving;
    private final double lambda0;
    private final boolean decays;
    /** Random search under a budget-only terminator needs nothing from the archive: it skips reading it. */
    private final boolean readsArchive;
    private int proposals;

    /**
     * @param lambda0 the confidence multiplier of surrogate-based proposals
     * @param decays  whether it decays periodically, as in ADBO
     */
    Proposer(Spec spec, Network network, RandomGenerator random, double lambda0, boolean decays) {
        this.spec = spec;
        this.network = network;
        this.random = random;
        this.archive = new EvaluationArchive(network.archive(), spec.outcomes());
        this.lambda0 = lambda0;
        this.decays = decays;
        this.readsArchive = !(spec.optimizer() instanceof Optimizer.RandomSearch)
                || readsArchive(spec.terminator(), false);
        this.search = spec.pareto() ? null : spec.surrogate()
                .map(settings -> new SurrogateSearch(spec.space(), spec.outcome(), settings)).orElse(null);
        this.halving = spec.optimizer() instanceof Optimizer.SuccessiveHalving h
                ? Halving.of(spec.space(), h, spec.outcome()) : null;
    }

    /**
     * Whether {@code terminator} looks at evaluations. An evaluation count needs no reading where the network's budget
     * enforces it: alone or under "any of"; under "all of" it must be counted.
     */
    private static boolean readsArchive(Terminator terminator, boolean underAll) {
        return switch (terminator) {
            case Terminator.Evaluations e -> underAll;
            case Terminator.RunTime t -> false;
            case Terminator.Target t -> true;
            case Terminator.Stagnation s -> true;
            case Terminator.AnyOf any -> any.terminators().stream().anyMatch(t -> readsArchive(t, underAll));
            case Terminator.AllOf all -> all.terminators().stream().anyMatch(t -> readsArchive(t, true));
        };
    }

    /** A proposer for one ADBO or random-search worker: lambda0 drawn from its own generator. */
    static Proposer forWorker(Spec spec, Network network, RandomGenerator random) {
        double mean = spec.optimizer() instanceof Optimizer.Adbo adbo ? adbo.settings().lambdaMean() : 1;
        return new Proposer(spec, network, random, -mean * Math.log(1 - random.nextDouble()), true);
    }

    EvaluationArchive archive() {
        return archive;
    }

    /** Whether the terminator says the optimization is done, on what this proposer has read. */
    boolean done() {
        if (readsArchive) {
            archive.update();
        }
        Duration elapsed = Duration.between(spec.started(), network.store().clock().instant());
        return spec.terminator().isDone(new Terminator.RunState(archive.bestLossHistory(), elapsed.isNegative()
                ? Duration.ZERO : elapsed, spec.outcome()));
    }

    /** The next configuration; call {@link #done()} first. */
    Map<String, Object> propose() {
        if (spec.surrogate().isEmpty() && halving == null) {
            return spec.space().sample(random);
        }
        List<Map<String, Object>> pending = new ArrayList<>();
        for (TaskState state : List.of(TaskState.RUNNING, TaskState.QUEUED)) {
            for (Task task : network.tasks(state)) {
                pending.add(task.xs());
            }
        }
        // Read the archive after the pending tasks: an evaluation that finished in between is then in one of the two
        // lists (perhaps both, which is harmless), never in neither.
        archive.update();
        if (halving != null) {
            return halving.propose(archive.evaluations(), pending, random);
        }
        double lambda = lambda0;
        if (decays && spec.optimizer() instanceof Optimizer.Adbo adbo) {
            Optimizer.Surrogate settings = adbo.settings();
            lambda = lambda0 * Math.exp(-settings.decayRate() * (proposals % settings.decayPeriod()));
        }
        proposals++;
        List<Evaluation> completed = archive.evaluations();
        if (spec.pareto()) {
            // Every proposal scores every evaluation with its own weights: a fresh search, since a search keeps the
            // values it has read.
            return new SurrogateSearch(spec.space(), SCALARISED, spec.surrogate().orElseThrow())
                    .propose(scalarised(completed), pending, lambda, random);
        }
        return search.propose(completed, pending, lambda, random);
    }

    /**
     * The evaluations with their losses replaced by one scalar, ParEGO's: weights drawn uniformly from the simplex
     * (normalised exponentials), each loss scaled to [0, 1] over the evaluations, then {@code max_i(w_i·f_i) +
     * 0.05·Σ w_i·f_i}. Evaluations without every outcome keep none.
     */
    private List<Evaluation> scalarised(List<Evaluation> completed) {
        int d = spec.outcomes().size();
        double[] weight = new double[d];
        double sum = 0;
        for (int i = 0; i < d; i++) {
            weight[i] = -Math.log(1 - random.nextDouble());
            sum += weight[i];
        }
        double[] low = new double[d];
        double[] high = new double[d];
        java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
        List<double[]> losses = new ArrayList<>(completed.size());
        for (Evaluation e : completed) {
            double[] l = spec.outcomes().stream().allMatch(e::has) ? archive.losses(e) : null;
            losses.add(l);
            for (int i = 0; l != null && i < d; i++) {
                low[i] = Math.min(low[i], l[i]);
                high[i] = Math.max(high[i], l[i]);
            }
        }
        List<Evaluation> out = new ArrayList<>(completed.size());
        for (int k = 0; k < completed.size(); k++) {
            Evaluation e = completed.get(k);
            double[] l = losses.get(k);
            Map<String, Double> outcome = Map.of();
            if (l != null) {
                double max = Double.NEGATIVE_INFINITY;
                double total = 0;
                for (int i = 0; i < d; i++) {
                    double scaled = high[i] > low[i] ? (l[i] - low[i]) / (high[i] - low[i]) : 0;
                    max = Math.max(max, weight[i] / sum * scaled);
                    total += weight[i] / sum * scaled;
                }
                outcome = Map.of(SCALARISED.name(), max + AUGMENTATION * total);
            }
            out.add(new Evaluation(e.id(), e.config(), outcome, Map.of(), e.state(), e.worker(), e.created(),
                    e.started(), e.finished(), e.seconds(), e.error()));
        }
        return out;
    }
}
