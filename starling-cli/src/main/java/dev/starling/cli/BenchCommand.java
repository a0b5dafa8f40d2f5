package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.FreeLoop;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.Store;
import dev.starling.TaskCounts;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the coordination cost of no-op tasks, end to end. Queue mode: the workers start, then N empty tasks are
 * pushed in batches while they claim and finish them; the clock runs from the first push until the last task is
 * FINISHED. Free mode: W workers create and finish N tasks themselves under a budget of N; the clock runs until the
 * last worker stops. {@code us_per_task} is wall-clock time per task (1e6 / tasks_per_s).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure no-op task throughput through a store (queue or free loops).")
final class BenchCommand implements Callable<Integer> {
    enum Mode { queue, free }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", defaultValue = "memory", description = "store location (default: ${DEFAULT-VALUE})")
    private String store;

    @Option(names = "--workers", defaultValue = "2", description = "worker threads (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--tasks", defaultValue = "1000000", description = "no-op tasks (default: ${DEFAULT-VALUE})")
    private int tasks;

    @Option(names = "--mode", defaultValue = "queue", description = "queue or free (default: ${DEFAULT-VALUE})")
    private Mode mode;

    @Option(names = "--batch", defaultValue = "10000",
            description = "tasks per push in queue mode (default: ${DEFAULT-VALUE})")
    private int batch;

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || tasks < 1 || batch < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--workers, --tasks and --batch must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = Store.open(store)) {
            out.printf("bench: %s mode, %d workers, %d no-op tasks, %s store%n", mode, workers, tasks,
                    shared.location());
            out.flush();
            long nanos = switch (mode) {
                case queue -> queue(shared);
                case free -> free(shared);
            };
            double perSecond = tasks / (nanos / 1e9);
            out.printf(Locale.ROOT, "mode=%s workers=%d tasks=%d tasks_per_s=%.0f us_per_task=%.3f%n",
                    mode, workers, tasks, perSecond, 1e6 / perSecond);
            return 0;
        }
    }

    private long queue(Store shared) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-queue").create().controller();
             Progress progress = Progress.start("tasks", tasks)) {
            controller.startWorkers(workers, (QueueLoop) task -> null);
            var empty = Collections.nCopies(Math.min(batch, tasks), Map.of());
            long start = System.nanoTime();
            for (int pushed = 0; pushed < tasks; pushed += batch) {
                controller.push(pushed + batch <= tasks ? empty : empty.subList(0, tasks - pushed));
            }
            waitFor(controller, progress, () -> controller.counts().finished() >= tasks);
            long elapsed = System.nanoTime() - start;
            check(controller.counts());
            return elapsed;
        }
    }

    private long free(Store shared) throws InterruptedException {
        try (Controller controller = Network.builder(shared, "bench-free").budget(tasks).create().controller();
             Progress progress = Progress.start("tasks", tasks)) {
            long start = System.nanoTime();
            controller.startWorkers(workers, FreeLoop.of(worker -> null, task -> null));
            waitFor(controller, progress, () -> controller.counts().finished() >= tasks);
            long elapsed = System.nanoTime() - start;
            check(controller.counts());
            return elapsed;
        }
    }

    private static void waitFor(Controller controller, Progress progress, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        while (!done.getAsBoolean()) {
            Thread.sleep(Duration.ofMillis(20));
            progress.stepTo(controller.counts().completed());
        }
        progress.stepTo(controller.counts().completed());
    }

    private void check(TaskCounts counts) {
        if (counts.finished() != tasks || counts.failed() != 0) {
            throw new IllegalStateException("expected " + tasks + " finished tasks, found " + counts);
        }
    }
}
