package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.optimize.Objective;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Outcome;
import dev.starling.optimize.SearchSpace;
import dev.starling.tune.Learner;
import dev.starling.tune.Metric;
import dev.starling.tune.TuneObjective;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tunes a gradient-boosting learner by cross-validation on real data. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tunes XGBoost or LightGBM: each evaluation is a seeded, stratified k-fold cross-validation"
                + " of one configuration, single-threaded; the workers are the parallelism.",
            "Named data sets (credit-g, diabetes, flights) are fetched on first use and cached.",
            "Ends with: best <metric>=<value> evaluations=<n> workers=<w> utilization=<u>"})
final class TuneCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private CrossValidationOptions validation;

    @Option(names = "--metric", defaultValue = "auc",
            description = "auc, logloss, accuracy or error; the others are recorded (default: ${DEFAULT-VALUE})")
    private String metric;

    @Option(names = "--outcome", description = "optimize several outcomes at once for their Pareto front,"
            + " NAME[:min|:max],… of auc, logloss, accuracy, error and time (seconds per cross-validation),"
            + " e.g. auc:max,time:min (default: --metric alone)")
    private String outcome;

    @Option(names = "--space", description = "a JSON file with the search space, in the learner's parameter names"
            + " (default: the learner's, see the README)")
    private Path space;

    @Option(names = "--defaults", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "first score the learner's default configuration, to compare against; --no-defaults"
                    + " skips it (default: on)")
    private boolean defaults;

    @CommandLine.Mixin
    private Placement placement;

    @CommandLine.Mixin
    private WorkerSettings workerSettings;

    @CommandLine.Mixin
    private SearchOptions search;

    @Override
    public Integer call() throws Exception {
        int count = placement.workers(2);
        int processes = placement.processes(2);
        long evals = search.evals(100);
        try {
            Learner chosen = Learner.named(validation.learner);
            List<Outcome> outcomes = outcome == null ? List.of(Metric.named(metric).outcome())
                    : search.outcomes(outcome, "--outcome", name -> !name.equals(TuneObjective.TIME)
                            && known(name).outcome().maximize());
            outcomes.forEach(o -> known(o.name()));
            if (outcomes.getFirst().name().equals(TuneObjective.TIME)) {
                throw search.usage("--outcome must start with a metric (auc, logloss, accuracy, error), then"
                        + " time if wanted; was '" + outcome + "'");
            }
            Metric ranking = Metric.named(outcomes.getFirst().name());
            SearchSpace searched = space == null ? chosen.space() : search.space(space);
            chosen.check(searched);
            Objective objective = search.objective(searched, () -> new TuneObjective(validation.settings()));
            String described = objective instanceof TuneObjective cv ? cv.validation().describe() + ", "
                    + validation.folds + "-fold CV" : search.describeReplay();
            PrintWriter out = spec.commandLine().getOut();
            try (Store shared = search.openStore()) {
                Network net = search.network(shared, "tune");
                out.printf(Locale.ROOT, "Tuning %s on %s, %s, with %s: %d workers %s, %d evaluations,"
                                + " seed %d, store %s%n", chosen.label(), described, outcomes.stream().map(Outcome::toString).collect(Collectors.joining(", ")),
                        search.optimizerName(), count,
                        search.simulating() ? "simulated" : processes == 0 ? "on threads" : "in " + processes
                                + " processes", evals,
                        net.settings().seed(), shared.location());
                out.flush();
                double baseline = defaults && objective instanceof TuneObjective cv
                        ? scoreDefaults(cv, ranking, out) : Double.NaN;
                Optimization optimization = SearchOptions.optimizing(Optimization.on(net).space(searched)
                        .objective(objective), outcomes).optimizer(search.optimizer(chosen.roundsParameter()))
                        .terminator(search.terminator(evals)).workers(count)
                        // Platform threads: a fit is native code, which pins a virtual thread to its carrier, so
                        // on virtual threads only as many evaluations as cores ran at once (measured: 2 of 32
                        // workers busy, utilization 0.065).
                        .workerOptions(workerSettings.options(false));
                if (processes > 0) {
                    optimization = optimization.processes(processes).maxRestarts(placement.maxRestarts());
                }
                OptimizationResult result = search.run(optimization, evals);
                return search.report(result, evals, baseline, o -> {
                    result.best().ifPresent(best -> {
                        double[] perFold = best.details().getOrDefault(ranking.label() + TuneObjective.FOLDS,
                                java.util.List.of()).stream().mapToDouble(Double::doubleValue).toArray();
                        if (perFold.length > 0) {
                            o.printf(Locale.ROOT, "best configuration's %s per fold: %s%n", ranking.label(),
                                    format(perFold));
                        }
                        if (Double.isFinite(baseline)) {
                            o.printf(Locale.ROOT, "tuned %s=%.4f, defaults %.4f: %+.4f%n", ranking.label(),
                                    result.bestValue(), baseline, result.bestValue() - baseline);
                        }
                    });
                });
            }
        } catch (IllegalArgumentException e) {
            throw search.usage(e.getMessage());
        }
    }

    /** The metric named {@code name}, or null for time; a usage error for anything else. */
    private Metric known(String name) {
        if (name.equals(TuneObjective.TIME)) {
            return null;
        }
        try {
            return Metric.named(name);
        } catch (IllegalArgumentException e) {
            throw search.usage("unknown outcome '" + name + "'; tune's are auc, logloss, accuracy, error and time");
        }
    }

    /** Scores the learner's defaults once, here, before the run; NaN (with the reason) when they fail. */
    private static double scoreDefaults(TuneObjective objective, Metric ranking, PrintWriter out) {
        Map<String, Object> config = objective.learner().defaults();
        try {
            Map<String, Object> outcomes = objective.evaluate(config);
            double value = ((Number) outcomes.get(ranking.label())).doubleValue();
            out.printf(Locale.ROOT, "learner defaults %s: %s=%.4f (%.1f s)%n", config, ranking.label(), value,
                    ((Number) outcomes.get(TuneObjective.TIME)).doubleValue());
            out.flush();
            return value;
        } catch (Exception e) {
            out.printf("learner defaults %s failed: %s%n", config, e);
            return Double.NaN;
        }
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                .collect(Collectors.joining(" "));
    }
}
