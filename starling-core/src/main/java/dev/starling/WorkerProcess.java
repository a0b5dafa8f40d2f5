package dev.starling;

import java.nio.file.Path;
import java.time.Duration;
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

    @Override
    public String toString() {
        return "worker process " + pid() + " (" + workers + (workers == 1 ? " worker" : " workers") + ", log " + log
                + ")";
    }
}
