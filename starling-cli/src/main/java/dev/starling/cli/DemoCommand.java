package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.FreeLoop;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Decentralized random search on the Branin function (the rush tutorial's example): every worker proposes its own
 * points, evaluates them and publishes them; the network's budget stops them at exactly the number of evaluations.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Decentralized random search on the Branin function (x1 in [-5, 10], x2 in [0, 15]).")
final class DemoCommand implements Callable<Integer> {
    /** The global minimum of the Branin function. */
    static final double BRANIN_MINIMUM = 0.397887;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", defaultValue = "4", description = "worker threads (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--evals", defaultValue = "2000", description = "evaluations in all (default: ${DEFAULT-VALUE})")
    private int evals;

    @Option(names = "--seed", defaultValue = "42", description = "network seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory",
            description = "where the shared state lives (default: ${DEFAULT-VALUE})")
    private String store;

    record Point(double x1, double x2) {
    }

    record Value(double y) {
    }

    static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1, was " + workers);
        }
        if (evals < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--evals must be at least 1, was " + evals);
        }
        PrintWriter out = spec.commandLine().getOut();
        FreeLoop randomSearch = FreeLoop.of(
                worker -> new Point(worker.random().nextDouble(-5, 10), worker.random().nextDouble(0, 15)),
                task -> {
                    Point p = task.xs(Point.class);
                    return new Value(branin(p.x1(), p.x2()));
                });
        long start = System.nanoTime();
        try (Store shared = Store.open(store);
             Controller controller = Network.builder(shared, "demo").seed(seed).budget(evals).create().controller()) {
            out.printf("Random search on Branin with %d workers, %d evaluations, seed %d, %s store%n",
                    workers, evals, seed, shared.location());
            out.flush();
            controller.startWorkers(workers, randomSearch);
            try (Progress progress = Progress.start("evaluations", evals)) {
                while (!controller.awaitWorkers(Duration.ofMillis(100))) {
                    progress.stepTo(controller.counts().completed());
                }
                progress.stepTo(controller.counts().completed());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            TaskCounts counts = controller.counts();
            Task best = controller.finished().stream()
                    .min(Comparator.comparingDouble(t -> t.ys(Value.class).y()))
                    .orElseThrow(() -> new IllegalStateException("no evaluation finished; see the worker logs"));
            Point x = best.xs(Point.class);
            double y = best.ys(Value.class).y();
            out.printf(Locale.ROOT, "evaluations: %d finished, %d failed, in %.2f s (%.0f per second)%n",
                    counts.finished(), counts.failed(), seconds, counts.completed() / seconds);
            out.printf(Locale.ROOT, "best: y=%.6f at x1=%.6f x2=%.6f by worker %s (task %d); global minimum %.6f%n",
                    y, x.x1(), x.x2(), best.worker(), best.id(), BRANIN_MINIMUM);
            out.printf(Locale.ROOT, "best y=%.6f x1=%.6f x2=%.6f evaluations=%d workers=%d%n",
                    y, x.x1(), x.x2(), counts.completed(), workers);
            return 0;
        }
    }

}
