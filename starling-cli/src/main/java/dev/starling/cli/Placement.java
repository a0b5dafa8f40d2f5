package dev.starling.cli;

import dev.starling.Controller;
import dev.starling.WorkerState;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Where a command's workers run, the same in every command: {@code --workers W} threads of this process, or with
 * {@code --processes P} W workers spread over P worker processes (default one per process). A picocli mixin.
 */
final class Placement {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", description = "workers: threads of this process, or with --processes spread over"
            + " the processes (default: the command's own, or one per process)")
    private Integer workers;

    /** A count; a bare {@code --processes} (the old flag of bench) means one process per worker. */
    @Option(names = "--processes", arity = "0..1", fallbackValue = "-1",
            description = "run the workers in this many worker processes instead of threads (needs --store"
                    + " redis://...); bare, one process per worker")
    private Integer processes;

    @Option(names = "--max-restarts", defaultValue = "3", description = "with --processes, replace a worker process"
            + " that dies (killed, crashed, or out of touch with the store too long) this many times each, after a"
            + " backoff of 1 s doubling to 30 s; 0 replaces none (default: ${DEFAULT-VALUE})")
    private int maxRestarts;

    /** How many times each worker process is replaced when it dies. */
    int maxRestarts() {
        if (maxRestarts < 0) {
            throw usage("--max-restarts must be zero or more, was " + maxRestarts);
        }
        return maxRestarts;
    }

    /** Whether the workers run in worker processes. */
    boolean inProcesses() {
        return processes != null;
    }

    /**
     * How many workers run in all.
     *
     * @param threads the command's default number of threads
     */
    int workers(int threads) {
        int count = workers != null ? workers : processes != null && processes > 0 ? processes : threads;
        if (count < 1) {
            throw usage("--workers must be at least 1, was " + count);
        }
        if (processes != null && processes > count) {
            throw usage("--workers " + count + " is fewer than --processes " + processes
                    + "; every process runs at least one worker");
        }
        return count;
    }

    /**
     * How many worker processes run, or 0 for threads.
     *
     * @param threads the command's default number of threads
     */
    int processes(int threads) {
        if (processes == null) {
            return 0;
        }
        if (processes == -1) {
            return workers(threads);
        }
        if (processes < 1) {
            throw usage("--processes must be at least 1, was " + processes);
        }
        return processes;
    }

    /**
     * Waits until {@code workers} workers of the controller's network are RUNNING: worker processes register some
     * seconds after they start.
     *
     * @throws IllegalStateException when they have not within a minute
     */
    static void awaitRunning(Controller controller, int workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (controller.workers().stream().filter(w -> w.state() == WorkerState.RUNNING).count() < workers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker processes did not register within 60 s; see their logs");
            }
            Thread.sleep(10);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
