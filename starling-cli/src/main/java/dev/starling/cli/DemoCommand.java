package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.cli.BraninSearch.Point;
import dev.starling.cli.BraninSearch.Value;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", defaultValue = "4", description = "worker threads (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--processes", description = "run this many worker processes instead of threads"
            + " (needs a shared store such as redis://)")
    private Integer processes;

    @Option(names = "--evals", defaultValue = "2000", description = "evaluations in all (default: ${DEFAULT-VALUE})")
    private int evals;

    @Option(names = "--seed", defaultValue = "42", description = "network seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory",
            description = "where the shared state lives: memory or redis://host:port (default: ${DEFAULT-VALUE})")
    private String store;

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers must be at least 1, was " + workers);
        }
        if (processes != null && processes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--processes must be at least 1, was " + processes);
        }
        if (evals < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--evals must be at least 1, was " + evals);
        }
        int count = processes == null ? workers : processes;
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Store shared = Store.open(store);
             Controller controller = Network.builder(shared, "demo").seed(seed).budget(evals).create().controller()) {
            out.printf("Random search on Branin with %d worker %s, %d evaluations, seed %d, store %s%n",
                    count, processes == null ? "threads" : "processes", evals, seed, shared.location());
            if (processes == null) {
                controller.startWorkers(count, new BraninSearch());
            } else {
                List<WorkerProcess> started = controller.startProcesses(count, BraninSearch.class,
                        WorkerOptions.defaults());
                out.printf("worker logs: %s%n", started.getFirst().log().getParent());
                out.printf("more workers from any machine: %s%n",
                        controller.workerCommand(BraninSearch.class, WorkerOptions.defaults()));
            }
            out.flush();
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
                    y, x.x1(), x.x2(), best.worker(), best.id(), BraninSearch.MINIMUM);
            out.printf(Locale.ROOT, "best y=%.6f x1=%.6f x2=%.6f evaluations=%d workers=%d%n",
                    y, x.x1(), x.x2(), counts.completed(), count);
            return 0;
        }
    }
}
