package dev.starling;

import dev.starling.internal.WorkerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A worker process: a separate JVM on this machine running one or more workers, started by
 * {@link Controller#startProcesses}. Its output goes to its own log file. Thread-safe.
 */
public final class WorkerProcess {
    private final Process process;
    private final int workers;
    private final Path log;

    WorkerProcess(Process process, int workers, Path log) {
        this.process = process;
        this.workers = workers;
        this.log = log;
    }

    /** How many workers the process runs. */
    public int workers() {
        return workers;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** The file that holds the process's standard output and error. */
    public Path log() {
        return log;
    }

    /**
     * Runs {@code action} once the process has exited (at once if it has), on a virtual thread of its own: not
     * through {@link Process#onExit()}, whose callbacks run in the common fork-join pool, which user code can keep
     * busy (one thread on a two-core machine).
     */
    void onExit(Runnable action) {
        Thread.ofVirtual().name("worker-process-" + process.pid()).start(() -> {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            action.run();
        });
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the process to stop (SIGTERM): its workers finish their current tasks, then the process exits. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Kills the process at once (SIGKILL, like {@code kill -9}); its tasks are recovered once their workers'
     * heartbeats expire.
     */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Waits up to {@code timeout} for the process to exit.
     *
     * @return its exit code, or -1 if it is still running
     */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) ? process.exitValue() : -1;
    }

    /**
     * How the process ended, from its exit code and its last words in its log; empty while it runs. Exit code 0 is
     * {@link WorkerExit.Cause#COMPLETED} (its workers completed or were terminated), SIGTERM {@code TERMINATED},
     * SIGKILL {@code KILLED}, an outage {@code OUTAGE}, anything else {@code FAILED}.
     */
    public Optional<WorkerExit> exit() {
        if (process.isAlive()) {
            return Optional.empty();
        }
        int code = process.exitValue();
        String said = lastWords().map(w -> ": " + w).orElse("");
        String who = "worker process " + pid();
        return Optional.of(switch (code) {
            case 0 -> new WorkerExit(WorkerExit.Cause.COMPLETED, who + " exited");
            case WorkerMain.OUTAGE -> new WorkerExit(WorkerExit.Cause.OUTAGE, who + " stopped" + said);
            case 128 + 15 -> new WorkerExit(WorkerExit.Cause.TERMINATED, who + " was terminated (SIGTERM)");
            case 128 + 9 -> new WorkerExit(WorkerExit.Cause.KILLED, who + " was killed (SIGKILL)");
            default -> new WorkerExit(WorkerExit.Cause.FAILED, who + " exited with status " + code + said
                    + " (log: " + log + ")");
        });
    }

    /** The reason the process printed when it stopped short, if it did. */
    private Optional<String> lastWords() {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                int at = line.indexOf(WorkerMain.STOPPED);
                if (at >= 0) {
                    return Optional.of(line.substring(at + WorkerMain.STOPPED.length()));
                }
                if (line.startsWith("starling worker: ")) {
                    return Optional.of(line.substring("starling worker: ".length()));
                }
            }
        } catch (IOException e) {
            // no log to read: the exit code says enough
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "worker process " + pid() + " (" + workers + (workers == 1 ? " worker" : " workers") + ", log " + log
                + ")";
    }
}
