package dev.starling.cli;

import dev.starling.WorkerOptions;
import dev.starling.internal.WorkerMain;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The worker options every command that runs workers shares: heartbeat, poll, task timeout and outage limit, with the
 * defaults of {@link WorkerOptions}. A picocli mixin.
 */
final class WorkerSettings {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--heartbeat", defaultValue = "1s",
            description = "heartbeat period; a worker is lost after three missed (default: ${DEFAULT-VALUE})")
    private String heartbeat;

    @Option(names = "--poll", defaultValue = "250ms",
            description = "longest wait for a queued task before checking for a stop (default: ${DEFAULT-VALUE})")
    private String poll;

    @Option(names = "--task-timeout", description = "fail a task that runs longer than this (default: none)")
    private String taskTimeout;

    @Option(names = "--outage-limit", defaultValue = "5m",
            description = "how long workers ride out a store they cannot reach before they stop and the run exits"
                    + " non-zero (default: ${DEFAULT-VALUE})")
    private String outageLimit;

    /**
     * The options, on platform or virtual threads, read by the same code as a worker process's.
     *
     * @throws CommandLine.ParameterException naming the option that is not a valid duration
     */
    WorkerOptions options(boolean virtualThreads) {
        Map<String, String> given = new HashMap<>();
        given.put("--heartbeat", heartbeat);
        given.put("--poll", poll);
        given.put("--outage-limit", outageLimit);
        if (taskTimeout != null) {
            given.put("--task-timeout", taskTimeout);
        }
        try {
            return WorkerMain.options(given).withVirtualThread(virtualThreads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
