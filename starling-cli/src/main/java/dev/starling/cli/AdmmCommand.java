package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.algorithms.admm.Admm;
import dev.starling.algorithms.admm.AdmmFunctions;
import dev.starling.algorithms.admm.LassoProblem;
import dev.starling.cli.plots.AdmmPlots;
import dev.starling.internal.Csv;
import dev.starling.internal.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Consensus ADMM for the lasso on generated data, as the Dask blog runs it, with each chunk kept by one worker: runs
 * the variants asked for one after another on the same workers and data, and prints one line per variant. Exits 1
 * when a variant does not reach the tolerance within the time limit.
 */
@Command(name = "admm", mixinStandardHelpOptions = true,
        description = "Asynchronous ADMM for l1-regularised least squares on generated data (synchronous, single-update"
                + " and batched variants), with the data kept on the workers.")
final class AdmmCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private Placement placement;

    @Option(names = "--variant", split = ",", defaultValue = "sync,async,batched",
            description = "variants to run, comma-separated: sync, async, batched, or owner (async, re-querying the"
                    + " worker that answered) (default: ${DEFAULT-VALUE})")
    private List<String> variants;

    @Option(names = "--rows", defaultValue = "200000", description = "rows of X (default: ${DEFAULT-VALUE})")
    private int rows;

    @Option(names = "--features", defaultValue = "100", description = "features (default: ${DEFAULT-VALUE})")
    private int features;

    @Option(names = "--chunks", defaultValue = "20", description = "chunks of rows (default: ${DEFAULT-VALUE})")
    private int chunks;

    @Option(names = "--local", defaultValue = "exact",
            description = "local solver: exact (cached Cholesky) or iterative (conjugate gradients on the raw chunk)"
                    + " (default: ${DEFAULT-VALUE})")
    private String local;

    @Option(names = "--loss", defaultValue = "mean",
            description = "chunk loss: mean (divided by its rows) or sum (the blog's) (default: ${DEFAULT-VALUE})")
    private String loss;

    @Option(names = "--rho", defaultValue = "1.2", description = "ADMM penalty (default: ${DEFAULT-VALUE})")
    private double rho;

    @Option(names = "--lambda", defaultValue = "7.2", description = "l1 weight (default: ${DEFAULT-VALUE})")
    private double lambda;

    @Option(names = "--straggler", defaultValue = "1",
            description = "make the last worker this many times slower (default: ${DEFAULT-VALUE}, none)")
    private double straggler;

    @Option(names = "--time", defaultValue = "30s", description = "time limit per variant (default: ${DEFAULT-VALUE})")
    private String time;

    @Option(names = "--tol", defaultValue = "1e-6",
            description = "relative gap to the exact minimum at which a run has converged (default: ${DEFAULT-VALUE})")
    private double tol;

    @Option(names = "--seed", defaultValue = "0", description = "seed of data and choices (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory", description = "store location (default: ${DEFAULT-VALUE})")
    private String store;

    @Option(names = "--csv", description = "write every central step of every variant to this CSV file")
    private Path csv;

    @Option(names = "--plot", description = "write residuals and gap over time to this PNG, and the task stream"
            + " beside it (NAME-tasks.png)")
    private Path plot;

    @Override
    public Integer call() throws Exception {
        List<Admm.Variant> chosen = new ArrayList<>();
        for (String v : variants) {
            chosen.add(switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "sync" -> Admm.Variant.SYNC;
                case "async" -> Admm.Variant.ASYNC;
                case "batched" -> Admm.Variant.BATCHED;
                case "owner" -> Admm.Variant.OWNER;
                default -> throw usage("unknown variant '" + v + "'; use sync, async, batched or owner");
            });
        }
        LassoProblem problem;
        Duration limit;
        try {
            problem = new LassoProblem(rows, features, chunks, rho, lambda, enumOf(LassoProblem.Loss.class, loss,
                    "--loss"), enumOf(LassoProblem.Local.class, local, "--local"), seed);
            limit = Durations.parse(time);
            new Admm.Settings(Admm.Variant.SYNC, limit, tol, straggler, seed);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int workers = placement.workers(2);
        int processes = placement.processes(2);
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = Store.open(store);
             Controller controller = Network.builder(shared, "admm").seed(seed).create().controller()) {
            start(controller, workers, processes);
            out.printf(Locale.ROOT, "admm: %d x %d in %d chunks, loss %s, local %s, rho %s, lambda %s, %d worker %s,"
                    + " straggler x%s, store %s%n", rows, features, chunks, loss, local, rho, lambda, workers,
                    processes > 0 ? "processes" : "threads", straggler, shared.location());
            out.flush();
            long t0 = System.nanoTime();
            Admm admm = Admm.prepare(controller.futures(), problem, workers, Duration.ofMinutes(10));
            out.printf(Locale.ROOT, "setup %.1f s (chunks generated on their workers); reference minimum %.9g%n",
                    (System.nanoTime() - t0) / 1e9, admm.referenceMinimum());
            List<Admm.Result> results = new ArrayList<>();
            String last = null;
            for (Admm.Variant variant : chosen) {
                if (last != null) {
                    out.println(last);
                }
                Admm.Result r = admm.run(new Admm.Settings(variant, limit, tol, straggler, seed), step -> { });
                results.add(r);
                out.printf(Locale.ROOT, "  %s: updates_to_tol=%d utilization=%.2f staleness_mean=%.2f"
                        + " staleness_max=%d central_us_per_answer=%.1f%n", name(variant), r.updatesToTolerance(),
                        r.utilization(), r.meanStaleness(), r.maxStaleness(), r.centralMicros());
                // Each variant's result line; the last one is printed last of all, after the files are written.
                last = String.format(Locale.ROOT, "variant=%s workers=%d chunks=%d updates=%d time_s=%.3f"
                        + " time_to_tol_s=%.3f objective=%.9g reference=%.9g gap=%.3g primal=%.3g dual=%.3g",
                        name(variant), r.workers(), r.chunks(), r.updates(), r.seconds(), r.secondsToTolerance(),
                        r.objective(), r.reference(), r.gap(), r.primal(), r.dual());
                out.flush();
            }
            if (csv != null) {
                writeCsv(results);
            }
            if (plot != null) {
                AdmmPlots.convergence(results, plot, tol);
                AdmmPlots.taskStream(results, controller.workers(), siblingOf(plot, "-tasks"));
                out.println("plots: " + plot + ", " + siblingOf(plot, "-tasks"));
            }
            out.println(last);
            out.flush();
            List<String> shortOnes = results.stream().filter(r -> !r.converged()).map(r -> name(r.variant())).toList();
            if (!shortOnes.isEmpty()) {
                spec.commandLine().getErr().println("admm: ended short: " + String.join(", ", shortOnes) + " did not"
                        + " reach a relative gap of " + tol + " within " + time + "; give more --time or a larger"
                        + " --tol");
                return 1;
            }
            return 0;
        }
    }

    private void start(Controller controller, int workers, int processes) throws InterruptedException {
        WorkerOptions options = WorkerOptions.builder().virtualThread(false).build();
        if (processes == 0) {
            for (int w = 0; w < workers; w++) {
                controller.startWorkers(1, new AdmmFunctions(), options.withTags(AdmmFunctions.tags(w, workers,
                        chunks)));
            }
            return;
        }
        // Tags go by process: process p keeps chunks p, p + P, ...; its workers share them.
        controller.restartProcesses(placement.maxRestarts());
        controller.spreadProcesses(processes, workers, AdmmFunctions.class,
                p -> options.withTags(AdmmFunctions.tags(p, processes, chunks)));
        Placement.awaitRunning(controller, workers);
    }

    private void writeCsv(List<Admm.Result> results) throws IOException {
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            Csv.row(List.of("variant", "seconds", "updates", "primal", "dual", "objective", "gap", "staleness"), w);
            for (Admm.Result r : results) {
                for (Admm.Step s : r.trace()) {
                    Csv.row(List.of(name(r.variant()), fmt(s.seconds()), Long.toString(s.updates()),
                            fmt(s.primal()), fmt(s.dual()), fmt(s.objective()), fmt(s.gap()),
                            Integer.toString(s.staleness())), w);
                }
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    static String name(Admm.Variant v) {
        return AdmmPlots.name(v);
    }

    private static Path siblingOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(base + suffix + ".png");
    }

    private <E extends Enum<E>> E enumOf(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be one of " + Arrays.toString(
                    type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was '" + value + "'");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
