package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerExit;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.cli.BraninSearch.Point;
import dev.starling.cli.BraninSearch.Value;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Decentralized random search on the Branin function (the rush tutorial's example): every worker proposes its own
 * points, evaluates them and publishes them; the network's budget stops them at exactly the number of evaluations.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Decentralized random search on the Branin function (x1 in [-5, 10], x2 in [0, 15]).")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private Placement placement;

    @CommandLine.Mixin
    private WorkerSettings workerSettings;

    @Option(names = "--evals", defaultValue = "2000", description = "evaluations in all (default: ${DEFAULT-VALUE})")
    private int evals;

    @Option(names = "--seed", defaultValue = "42", description = "network seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory",
            description = "where the shared state lives: memory or redis://host:port (default: ${DEFAULT-VALUE})")
    private String store;

    /** Shows progress; a store out of reach skips it (the workers ride out the outage, or stop at its limit). */
    private static void step(Progress progress, Controller controller) {
        try {
            progress.stepTo(controller.counts().completed());
        } catch (StoreUnavailableException e) {
            // nothing to show until the store is back
        }
    }

    @Override
    public Integer call() throws Exception {
        int count = placement.workers(4);
        int processes = placement.processes(4);
        WorkerOptions options = workerSettings.options(true);
        if (evals < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--evals must be at least 1, was " + evals);
        }
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Store shared = Store.open(store);
             Controller controller = Network.builder(shared, "demo").seed(seed).budget(evals).create().controller()) {
            out.printf("Random search on Branin with %d workers %s, %d evaluations, seed %d, store %s%n",
                    count, processes == 0 ? "on threads" : "in " + processes + " processes", evals, seed,
                    shared.location());
            if (processes == 0) {
                controller.startWorkers(count, new BraninSearch(), options);
            } else {
                controller.restartProcesses(placement.maxRestarts());
                List<WorkerProcess> started = controller.spreadProcesses(processes, count, BraninSearch.class,
                        options);
                out.printf("worker logs: %s%n", started.getFirst().log().getParent());
                out.printf("more workers from any machine: %s%n",
                        controller.workerCommand(BraninSearch.class, options));
            }
            out.flush();
            try (Progress progress = Progress.start("evaluations", evals)) {
                while (!controller.awaitWorkers(Duration.ofMillis(100))) {
                    step(progress, controller);
                }
                step(progress, controller);
            }
            Optional<String> shortfall = WorkerExit.shortfall(controller.exits());
            if (shortfall.isPresent()) {
                spec.commandLine().getErr().println("starling: the demo ended short of " + evals
                        + " evaluations: " + shortfall.get());
                return 1;
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
                    y, x.x1(), x.x2(), best.worker(), best.id(), BraninSearch.MINIMUM);
            out.printf(Locale.ROOT, "best y=%.6f x1=%.6f x2=%.6f evaluations=%d workers=%d%n",
                    y, x.x1(), x.x2(), counts.completed(), count);
            return 0;
        }
    }
}
