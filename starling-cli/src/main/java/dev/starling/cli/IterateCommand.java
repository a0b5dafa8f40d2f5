package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.algorithms.History;
import dev.starling.algorithms.Iteration;
import dev.starling.algorithms.IterationFunctions;
import dev.starling.algorithms.Mode;
import dev.starling.algorithms.Stop;
import dev.starling.algorithms.Stragglers;
import dev.starling.algorithms.linear.LinearData;
import dev.starling.algorithms.linear.LinearProblem;
import dev.starling.algorithms.linear.Loss;
import dev.starling.algorithms.linear.Minibatch;
import dev.starling.algorithms.linear.Saga;
import dev.starling.algorithms.linear.Sgd;
import dev.starling.algorithms.linear.StalenessRule;
import dev.starling.cli.plots.HistoryPlots;
import dev.starling.internal.Csv;
import dev.starling.internal.Durations;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * SGD or SAGA on a regularised linear model, with the iteration framework: generated least squares or logistic
 * regression, or a data set; in the modes asked for, one after another on the same workers; one result line per
 * run, the last line last. Exits 1 when a run that was to reach a loss did not.
 */
@Command(name = "iterate", mixinStandardHelpOptions = true,
        description = "Asynchronous SGD or SAGA on least squares or logistic regression, in synchronous, asynchronous,"
                + " bounded-staleness or quorum mode, with the data split over the workers.")
final class IterateCommand implements Callable<Integer> {
    private static final double GAP = 1e-3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private Placement placement;

    @Option(names = "--algorithm", defaultValue = "saga", description = "sgd or saga (default: ${DEFAULT-VALUE})")
    private String algorithm;

    @Option(names = "--problem", defaultValue = "logreg",
            description = "lsq or logreg on generated data, or a data set: credit-g, diabetes, flights, or a .csv,"
                    + " .arff or .json file (logistic regression unless --loss lsq) (default: ${DEFAULT-VALUE})")
    private String problem;

    @Option(names = "--target", description = "the label of a data set: COL, COL=LEVEL or COL>NUMBER (default: the"
            + " data set's own)")
    private String target;

    @Option(names = "--loss", description = "lsq or logreg, for a data set (default: logreg)")
    private String loss;

    @Option(names = "--rows", defaultValue = "20000", description = "rows of generated data (default: ${DEFAULT-VALUE})")
    private int rows;

    @Option(names = "--features", defaultValue = "20",
            description = "features of generated data (default: ${DEFAULT-VALUE})")
    private int features;

    @Option(names = "--lambda", defaultValue = "1e-3", description = "ridge weight (default: ${DEFAULT-VALUE})")
    private double lambda;

    @Option(names = "--batch", defaultValue = "0.01",
            description = "minibatch, as a fraction of a worker's rows (default: ${DEFAULT-VALUE})")
    private double batch;

    @Option(names = "--step", defaultValue = "0", description = "step size; 0 for one from the data's smoothness"
            + " (default: ${DEFAULT-VALUE})")
    private double step;

    @Option(names = "--staleness", defaultValue = "damp",
            description = "asynchronous steps: damp (divide the step by the staleness), none, or discard:T (drop"
                    + " answers staler than T) (default: ${DEFAULT-VALUE})")
    private String staleness;

    @Option(names = "--mode", split = ",", defaultValue = "async",
            description = "modes to run, comma-separated: sync, async, ssp:S, quorum:K (default: ${DEFAULT-VALUE})")
    private List<String> modes;

    @Option(names = "--stragglers", defaultValue = "none",
            description = "none, longtail (a quarter of the workers 1.5-10x slower), longtail:SEED, or F (the last"
                    + " worker F times slower) (default: ${DEFAULT-VALUE})")
    private String stragglers;

    @Option(names = "--stop", defaultValue = "gap=1e-3,time=30s",
            description = "when to stop, whichever comes first: iterations=N, epochs=E, time=30s, loss=V (the"
                    + " objective), gap=G (relative to the exact optimum) (default: ${DEFAULT-VALUE})")
    private String stop;

    @Option(names = "--record-every", description = "record the loss about every N answers, in every mode (a"
            + " synchronous step applies one answer per worker, a quorum step k); computing it costs a pass over all rows"
            + " (default: the worker count)")
    private Integer recordEvery;

    @Option(names = "--resilience", defaultValue = "0",
            description = "lost workers a synchronous run may go on without; 0 waits for replacements (default:"
                    + " ${DEFAULT-VALUE})")
    private int resilience;

    @Option(names = "--seed", defaultValue = "0", description = "seed of data and minibatches (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory", description = "store location (default: ${DEFAULT-VALUE})")
    private String store;

    @Option(names = "--csv", description = "write every recorded step of every run to this CSV file")
    private Path csv;

    @Option(names = "--json", description = "write every recorded step of every run to this file as JSON lines")
    private Path json;

    @Option(names = "--plot", description = "write the loss gap over time and over iterations to this PNG")
    private Path plot;

    /** The stop criteria asked for; {@code gap} and {@code loss} need the reference loss. */
    private record StopSpec(Long iterations, Long epochs, Duration time, Double loss, Double gap) {
        Stop build(double reference) {
            List<Stop> all = new ArrayList<>();
            if (iterations != null) {
                all.add(Stop.iterations(iterations));
            }
            if (epochs != null) {
                all.add(Stop.epochs(epochs));
            }
            if (time != null) {
                all.add(Stop.time(time));
            }
            if (loss != null) {
                all.add(Stop.metric(loss));
            }
            if (gap != null) {
                all.add(Stop.metric(reference * (1 + gap)));
            }
            return all.stream().reduce(Stop::or).orElseThrow();
        }

        /** The loss a run must reach, if one was asked for. */
        Double goal(double reference) {
            if (loss != null && gap != null) {
                return Math.max(loss, reference * (1 + gap));
            }
            return loss != null ? loss : gap != null ? reference * (1 + gap) : null;
        }
    }

    /** One finished run. */
    record Run(String label, Mode mode, History history) {
    }

    @Override
    public Integer call() throws Exception {
        List<Mode> chosen = new ArrayList<>();
        LinearProblem.Settings settings;
        StopSpec stopSpec;
        Stragglers slow;
        StalenessRule rule;
        Minibatch minibatch;
        try {
            for (String m : modes) {
                chosen.add(mode(m));
            }
            stopSpec = parseStop(stop);
            slow = Stragglers.parse(stragglers);
            if (recordEvery != null && recordEvery < 1) {
                throw new IllegalArgumentException("--record-every must be at least 1 answer, was " + recordEvery);
            }
            if (resilience < 0) {
                throw new IllegalArgumentException("--resilience is a number of workers ≥ 0, was " + resilience);
            }
            rule = rule(staleness);
            settings = problemSettings();
            // Validate the algorithm's settings before starting anything.
            minibatch = algorithmSettings(rule);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int workers = placement.workers(4);
        int processes = placement.processes(workers);
        for (Mode m : chosen) {
            if (m.kind() == Mode.Kind.QUORUM && m.parameter() > workers) {
                throw usage("--mode " + m + " needs at least " + m.parameter() + " workers; give --workers "
                        + m.parameter() + " or a smaller quorum");
            }
            if (resilience > 0 && m.kind() != Mode.Kind.SYNC) {
                throw usage("--resilience is for --mode sync; " + m + " goes on without lost workers anyway");
            }
        }
        if (processes > 0 && processes != workers) {
            throw usage("iterate runs one worker per process: give --processes " + workers + " (or drop --workers)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "iterate: %s on %s, %d worker %s, stragglers %s%n", algorithm, describe(settings),
                workers, processes > 0 ? "processes" : "threads", slow);
        out.flush();
        long t0 = System.nanoTime();
        LinearData all = new LinearProblem(settings).central(workers);
        double reference = all.objective(all.optimum());
        out.printf(Locale.ROOT, "data: %d rows x %d weights; reference_loss %.9g by Newton's method (%.2f s)%n",
                all.rows(), all.width(), reference, (System.nanoTime() - t0) / 1e9);
        out.flush();
        try (Store shared = Store.open(store);
             Controller controller = Network.builder(shared, "iterate").seed(seed).create().controller()) {
            start(controller, workers, processes);
            List<Run> runs = new ArrayList<>();
            String last = null;
            for (Mode mode : chosen) {
                if (last != null) {
                    out.println(last);
                }
                Iteration<LinearData, double[], ?> iteration = (algorithm.equals("sgd")
                        ? Iteration.of(Sgd.class, minibatch)
                        : Iteration.of(Saga.class, minibatch))
                        .problem(LinearProblem.class, settings).workers(workers).mode(mode).stragglers(slow)
                        .resilience(resilience)
                        .recordEvery(recordSteps(mode, workers))
                        .startWorkers(false).stopAt(stopSpec.build(reference));
                History h = iteration.run(controller).history();
                runs.add(new Run(algorithm + " " + mode, mode, h));
                History.Step end = h.last().orElseThrow();
                History.Step reached = h.steps().stream().filter(s -> s.metric() <= reference * (1 + GAP))
                        .findFirst().orElse(null);
                out.printf(Locale.ROOT, "  %s: updates=%d updates_to_loss=%d utilization=%.2f staleness_mean=%.2f"
                        + " lost_workers=%d%n", mode, h.answers(), reached == null ? -1 : reached.answers(),
                        h.utilization(), h.meanStaleness(), h.workers().stream().filter(History.WorkerStats::lost)
                                .count());
                last = String.format(Locale.ROOT, "algorithm=%s mode=%s workers=%d iterations=%d epochs=%d"
                        + " time_s=%.3f loss=%.9g reference_loss=%.9g time_to_loss_s=%.3f max_staleness=%d",
                        algorithm, mode, workers, h.iterations(), h.epochs(), h.seconds(), end.metric(), reference,
                        reached == null ? -1.0 : reached.seconds(), h.maxStaleness());
                out.flush();
            }
            write(runs, reference);
            out.println(last);
            out.flush();
            Double goal = stopSpec.goal(reference);
            List<String> shortOnes = goal == null ? List.of() : runs.stream()
                    .filter(r -> r.history().last().orElseThrow().metric() > goal).map(r -> r.mode().toString())
                    .toList();
            if (!shortOnes.isEmpty()) {
                spec.commandLine().getErr().printf(Locale.ROOT, "iterate: ended short: %s did not reach a loss of"
                        + " %.9g before the other stop criteria (%s); give more time or iterations%n",
                        String.join(", ", shortOnes), goal, stop);
                return 1;
            }
            return 0;
        }
    }

    private void write(List<Run> runs, double reference) throws java.io.IOException {
        if (csv != null) {
            try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                Csv.row(History.CSV_HEADER, w);
                for (Run r : runs) {
                    r.history().writeCsv(r.label(), w);
                }
            }
        }
        if (json != null) {
            try (Writer w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
                for (Run r : runs) {
                    r.history().writeJsonLines(r.label(), w);
                }
            }
        }
        if (plot != null) {
            Map<String, History> histories = new LinkedHashMap<>();
            runs.forEach(r -> histories.put(r.label(), r.history()));
            HistoryPlots.lossGap(histories, reference, plot);
            spec.commandLine().getOut().println("plot: " + plot);
        }
    }

    private void start(Controller controller, int workers, int processes) throws InterruptedException {
        WorkerOptions options = WorkerOptions.builder().virtualThread(false).build();
        for (int w = 0; w < workers; w++) {
            WorkerOptions tagged = options.withTags(Set.of(IterationFunctions.tag(w)));
            if (processes == 0) {
                controller.startWorkers(1, new IterationFunctions(), tagged);
            } else {
                controller.restartProcesses(placement.maxRestarts());
                controller.startProcesses(1, IterationFunctions.class, tagged);
            }
        }
        if (processes > 0) {
            Placement.awaitRunning(controller, workers);
        }
    }

    /** Central steps between recorded ones: about {@code --record-every} answers in every mode. */
    private int recordSteps(Mode mode, int workers) {
        int answers = recordEvery != null ? recordEvery : workers;
        int perStep = switch (mode.kind()) {
            case SYNC -> workers;
            case QUORUM -> mode.parameter();
            case ASYNC, SSP -> 1;
        };
        return Math.max(1, Math.round((float) answers / perStep));
    }

    private Minibatch algorithmSettings(StalenessRule rule) {
        if (!algorithm.equals("sgd") && !algorithm.equals("saga")) {
            throw new IllegalArgumentException("--algorithm is sgd or saga, was '" + algorithm + "'");
        }
        return new Minibatch(step, batch, rule);
    }

    private LinearProblem.Settings problemSettings() {
        String p = problem.trim();
        if (p.equals("lsq") || p.equals("logreg")) {
            if (loss != null || target != null) {
                throw new IllegalArgumentException("--loss and --target are for data sets; --problem " + p
                        + " is generated data with its own loss");
            }
            return new LinearProblem.Settings(p, LinearProblem.GENERATED, null, rows, features, seed, lambda);
        }
        String l = loss == null ? Loss.LOGISTIC.key() : Loss.parse(loss).key();
        return new LinearProblem.Settings(l, p, target, rows, features, seed, lambda);
    }

    private String describe(LinearProblem.Settings s) {
        return s.data().equals(LinearProblem.GENERATED)
                ? String.format(Locale.ROOT, "generated %s, %d x %d, lambda %s", s.loss(), s.rows(), s.features(),
                        s.lambda())
                : String.format(Locale.ROOT, "%s (%s, target %s), lambda %s", s.data(), s.loss(),
                        s.target() == null ? "its default" : s.target(), s.lambda());
    }

    static Mode mode(String text) {
        String m = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (m.equals("sync")) {
                return Mode.SYNC;
            }
            if (m.equals("async")) {
                return Mode.ASYNC;
            }
            if (m.startsWith("ssp:")) {
                return Mode.ssp(Integer.parseInt(m.substring(4)));
            }
            if (m.startsWith("quorum:")) {
                return Mode.quorum(Integer.parseInt(m.substring(7)));
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("--mode is sync, async, ssp:S or quorum:K, was '" + text + "'");
    }

    private static StalenessRule rule(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("damp")) {
            return StalenessRule.DAMP;
        }
        if (t.equals("none")) {
            return StalenessRule.NONE;
        }
        if (t.startsWith("discard:")) {
            try {
                return StalenessRule.discardAbove(Integer.parseInt(t.substring(8)));
            } catch (NumberFormatException e) {
                // Falls through.
            }
        }
        throw new IllegalArgumentException("--staleness is damp, none or discard:T, was '" + text + "'");
    }

    static StopSpec parseStop(String text) {
        Long iterations = null;
        Long epochs = null;
        Duration time = null;
        Double loss = null;
        Double gap = null;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--stop takes KEY=VALUE pairs (iterations, epochs, time, loss,"
                        + " gap), was '" + part.trim() + "'");
            }
            String value = kv[1].trim();
            try {
                switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                    case "iterations" -> iterations = positive(Long.parseLong(value), "iterations");
                    case "epochs" -> epochs = positive(Long.parseLong(value), "epochs");
                    case "time" -> time = Durations.parse(value);
                    case "loss" -> loss = Double.parseDouble(value);
                    case "gap" -> gap = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("--stop knows iterations, epochs, time, loss and"
                            + " gap, not '" + kv[0].trim() + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--stop " + kv[0].trim() + " needs a number, was '" + value + "'");
            }
        }
        return new StopSpec(iterations, epochs, time, loss, gap);
    }

    private static long positive(long n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException("--stop " + what + " must be at least 1, was " + n);
        }
        return n;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
