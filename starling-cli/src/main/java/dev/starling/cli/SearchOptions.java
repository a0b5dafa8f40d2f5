package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.cli.plots.OptimizationPlots;
import dev.starling.internal.Durations;
import dev.starling.optimize.Evaluation;
import dev.starling.optimize.Objective;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Outcome;
import dev.starling.optimize.Replay;
import dev.starling.optimize.SearchSpace;
import dev.starling.optimize.Terminator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every optimizing command shares (optimize, tune): optimizer, budget, store and network, and the
 * files a run writes; and how such a run is shown: a progress bar, then the counts, the best configurations and the
 * summary line. A picocli mixin; the command gives the defaults that differ.
 */
final class SearchOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--optimizer", defaultValue = "adbo",
            description = "random, adbo, cbo (centralized BO), asha or hyperband (multi-fidelity, over --fidelity)"
                    + " (default: ${DEFAULT-VALUE})")
    private String optimizer;

    @Option(names = "--fidelity", description = "the numeric parameter asha and hyperband spend as their resource,"
            + " e.g. boosting rounds; its lower bound is the first rung (default: the command's own)")
    private String fidelity;

    @Option(names = "--eta", defaultValue = "3",
            description = "asha's and hyperband's reduction factor: each rung keeps its best 1/eta"
                    + " (default: ${DEFAULT-VALUE})")
    private double eta;

    @Option(names = "--design", description = "size of the initial design of adbo and cbo (default: fits the"
            + " budget B and dimension d: max(5, min(2d, B/4)))")
    private Integer design;

    @Option(names = "--evals", description = "evaluations in all, counting earlier runs with --resume (default:"
            + " the command's own)")
    private Long evals;

    @Option(names = "--time", description = "also stop after this run time, e.g. 30s, 5m")
    private String time;

    @Option(names = "--stagnation", description = "also stop when the best improved by less than EPS over the"
            + " last K evaluations: K:EPS, e.g. 50:1e-4")
    private String stagnation;

    @Option(names = "--seed", defaultValue = "42", description = "network seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory",
            description = "where the shared state lives: memory or redis://host:port (default: ${DEFAULT-VALUE})")
    private String store;

    @Option(names = "--network", description = "network name (default: the command's name)")
    private String network;

    @Option(names = "--resume", description = "continue the optimization already in the network (Redis) instead of"
            + " starting afresh")
    private boolean resume;

    @Option(names = "--csv", description = "write every evaluation to this CSV file")
    private Path csv;

    @Option(names = "--jsonl", description = "write every evaluation to this JSON-lines file")
    private Path jsonl;

    @Option(names = "--plot", description = "draw the best value over evaluations and over time to this PNG file")
    private Path plot;

    @Option(names = "--top", defaultValue = "5",
            description = "show the best K evaluations (default: ${DEFAULT-VALUE})")
    private int top;

    @Option(names = "--replay", split = ",", paramLabel = "FILE",
            description = "instead of the objective, replay the evaluations recorded in these JSON-lines files"
                    + " (--jsonl of earlier runs): each configuration gets the outcomes of the nearest recorded one,"
                    + " after sleeping the time it took")
    private List<Path> replayFiles;

    @Option(names = "--simulate", description = "with --replay: run in virtual time, each worker on a core of its"
            + " own (for more workers than this machine has cores, e.g. 448); the optimizer's work really runs and"
            + " takes the CPU time it took")
    private boolean simulate;

    /** The replay of {@code --replay}, once read. */
    private Replay replay;

    /** The evaluation budget: as given, or {@code fallback}. */
    long evals(long fallback) {
        long n = evals == null ? fallback : evals;
        if (n < 1) {
            throw usage("--evals must be at least 1, was " + n);
        }
        return n;
    }

    String optimizerName() {
        return optimizer;
    }

    boolean resuming() {
        return resume;
    }

    /** Opens the store named by {@code --store}. */
    Store openStore() {
        return Store.open(store);
    }

    /** The network: the one to resume, or a new one named {@code --network} or {@code fallback}, seeded. */
    Network network(Store shared, String fallback) {
        String name = network == null ? fallback : network;
        return resume ? Network.open(shared, name) : Network.builder(shared, name).seed(seed).create();
    }

    /**
     * The optimizer asked for.
     *
     * @param defaultFidelity the fidelity parameter of asha and hyperband when {@code --fidelity} is not given, or
     *                        null when the command has none
     */
    Optimizer optimizer(String defaultFidelity) {
        String over = fidelity != null ? fidelity : defaultFidelity;
        if (over == null && (optimizer.equals("asha") || optimizer.equals("hyperband"))) {
            throw usage("--optimizer " + optimizer + " needs --fidelity NAME: the numeric parameter it spends");
        }
        if (!(eta > 1)) {
            throw usage("--eta must be above 1, was " + eta);
        }
        return switch (optimizer) {
            case "asha" -> Optimizer.asha(over).withEta(eta);
            case "hyperband" -> Optimizer.hyperband(over).withEta(eta);
            case "random" -> Optimizer.random();
            case "adbo" -> design == null ? Optimizer.adbo() : Optimizer.adbo().withInitialDesign(design);
            case "cbo" -> design == null ? Optimizer.centralized() : Optimizer.centralized().withInitialDesign(design);
            default -> throw usage("--optimizer must be random, adbo, cbo, asha or hyperband, was '" + optimizer
                    + "'");
        };
    }

    /** The budget of {@code evals} evaluations, or sooner by {@code --time} and {@code --stagnation}. */
    Terminator terminator(long evals) {
        Terminator t = Terminator.evaluations(evals);
        if (time != null) {
            t = t.or(Terminator.runTime(duration(time, "--time")));
        }
        if (stagnation != null) {
            String[] parts = stagnation.split(":");
            try {
                t = t.or(Terminator.stagnation(Integer.parseInt(parts[0]), parts.length > 1
                        ? Double.parseDouble(parts[1]) : 0));
            } catch (NumberFormatException e) {
                throw usage("--stagnation must be K:EPS, e.g. 50:1e-4; was '" + stagnation + "'");
            }
        }
        return t;
    }

    /**
     * The objective to evaluate: a replay of the {@code --replay} files over {@code space}, or else {@code real}.
     *
     * @throws CommandLine.ParameterException when {@code --simulate} lacks {@code --replay}, or a file is not a
     *                                        recording of this space
     */
    Objective objective(SearchSpace space, Supplier<? extends Objective> real) {
        if (replayFiles == null) {
            if (simulate) {
                throw usage("--simulate needs --replay FILE: the recorded evaluations to replay");
            }
            return real.get();
        }
        if (simulate && !store.equals("memory")) {
            throw usage("--simulate runs in virtual time on a store of its own; leave out --store " + store);
        }
        try {
            replay = Replay.read(space, replayFiles);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw usage(e.getMessage());
        }
        return replay.objective();
    }

    /** Whether the run is simulated in virtual time ({@code --simulate}). */
    boolean simulating() {
        return simulate;
    }

    /** The replay being run, or null when the objective is the real one. */
    Replay replay() {
        return replay;
    }

    /** The replay in a few words: its size and files, and whether it is simulated; call after {@link #objective}. */
    String describeReplay() {
        return String.format(Locale.ROOT, "a replay of %d evaluations from %s%s", replay.size(),
                replayFiles.stream().map(Path::toString).collect(Collectors.joining(", ")),
                simulate ? ", simulated in virtual time with a core per worker" : "");
    }

    /**
     * Runs {@code optimization} with a progress bar of its evaluations; with {@code --simulate}, in virtual time,
     * printing what the proposals cost.
     */
    OptimizationResult run(Optimization optimization, long evals) throws InterruptedException {
        Optimization.SimulationResult simulated;
        try (Progress progress = Progress.start("evaluations", evals)) {
            Optimization shown = optimization.onProgress(p -> progress.stepTo(p.completed()));
            if (!simulate) {
                return shown.run();
            }
            simulated = shown.simulate(replay);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "simulated: %.1f s of virtual time; %s%n",
                simulated.run().elapsed().toNanos() / 1e9, simulated.proposalSummary());
        return simulated.run();
    }

    /**
     * Writes the files asked for and prints the run: counts, the best configurations, what {@code extra} adds, the
     * first failure, and the summary line last.
     *
     * @param baseline a value to draw in the plot as the reference line (e.g. the learner's defaults), or NaN
     * @return the exit code: 0, or 1 when the run ended short or nothing finished
     */
    int report(OptimizationResult result, long evals, double baseline, Consumer<PrintWriter> extra)
            throws IOException {
        if (csv != null) {
            try (Writer w = Files.newBufferedWriter(csv)) {
                result.archive().writeCsv(w);
            }
        }
        if (jsonl != null) {
            try (Writer w = Files.newBufferedWriter(jsonl)) {
                result.archive().writeJsonLines(w);
            }
        }
        if (plot != null) {
            OptimizationPlots.best(result.archive(), baseline, plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        long failed = result.archive().evaluations().size() - result.archive().finished().size();
        out.printf(Locale.ROOT, "%d evaluations (%d failed) in %.2f s%n", result.archive().size(), failed,
                result.elapsed().toNanos() / 1e9);
        boolean front = result.archive().outcomes().size() > 1;
        if (top > 0 && result.best().isPresent() && !front) {
            out.print(result.archive().table(top));
        }
        if (front && result.best().isPresent()) {
            List<Evaluation> members = result.archive().front();
            double[] reference = result.archive().reference();
            out.printf(Locale.ROOT, "Pareto front of %s: %d of %d evaluations, hypervolume %.6g (reference: a tenth"
                            + " of the range beyond the worst of each, %s)%n", result.archive().outcomes().stream().map(Outcome::toString)
                            .collect(Collectors.joining(", ")), members.size(), result.archive().finished().size(),
                    result.archive().hypervolume(reference), Arrays.toString(reference));
            out.print(result.archive().table(members));
        }
        extra.accept(out);
        if (failed > 0) {
            result.archive().evaluations().stream().filter(e -> e.error() != null).findFirst().ifPresent(e ->
                    out.printf("first failure (evaluation %d): %s%n", e.id(), e.error()));
        }
        out.println(result.summary());
        if (result.shortfall().isPresent()) {
            out.flush();
            spec.commandLine().getErr().println("starling: the run ended short of " + evals + " evaluations ("
                    + result.archive().size() + " done): " + result.shortfall().get());
            return 1;
        }
        if (result.best().isEmpty()) {
            out.flush();
            spec.commandLine().getErr().println("starling: no evaluation finished; "
                    + result.archive().evaluations().stream().filter(e -> e.error() != null).findFirst()
                    .map(Evaluation::error).map(e -> "the first failed with " + e).orElse("none ran"));
            return 1;
        }
        return 0;
    }

    /**
     * Outcomes written {@code NAME[:min|:max],…}, e.g. {@code auc:max,time:min}; a bare name is maximized when
     * {@code maximizeBare} says so.
     */
    List<Outcome> outcomes(String text, String option, java.util.function.Predicate<String> maximizeBare) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] pieces = part.trim().split(":");
            if (pieces.length > 2 || pieces[0].isBlank() || (pieces.length == 2
                    && !pieces[1].equals("min") && !pieces[1].equals("max"))) {
                throw usage(option + " takes NAME[:min|:max], comma-separated, e.g. auc:max,time:min; was '" + text
                        + "'");
            }
            boolean max = pieces.length == 2 ? pieces[1].equals("max") : maximizeBare.test(pieces[0].trim());
            pieces[0] = pieces[0].trim();
            outcomes.add(max ? Outcome.maximize(pieces[0]) : Outcome.minimize(pieces[0]));
        }
        if (outcomes.isEmpty()) {
            throw usage(option + " needs at least one NAME[:min|:max]; was '" + text + "'");
        }
        return outcomes;
    }

    /** {@code optimization} told to optimize {@code outcomes}: the first alone, or the Pareto front of several. */
    static Optimization optimizing(Optimization optimization, List<Outcome> outcomes) {
        if (outcomes.size() == 1) {
            return optimization.outcomes(outcomes.getFirst());
        }
        return optimization.multiObjective(outcomes.get(0), outcomes.get(1),
                outcomes.subList(2, outcomes.size()).toArray(Outcome[]::new));
    }

    /**
     * The search space in {@code file}, JSON as {@link SearchSpace#fromJson} reads it.
     *
     * @throws CommandLine.ParameterException when the file cannot be read
     * @throws IllegalArgumentException naming what is wrong with the space
     */
    SearchSpace space(Path file) {
        try {
            return SearchSpace.fromJson(Files.readString(file));
        } catch (IOException e) {
            throw usage("cannot read the search space file " + file + ": " + e);
        }
    }

    Duration duration(String text, String option) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
