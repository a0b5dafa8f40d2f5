package dev.starling.cli;

import dev.starling.WorkerOptions;
import dev.starling.internal.Durations;
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
     * The options, on platform or virtual threads.
     *
     * @throws CommandLine.ParameterException naming the option that is not a valid duration
     */
    WorkerOptions options(boolean virtualThreads) {
        WorkerOptions.Builder builder = WorkerOptions.builder().virtualThread(virtualThreads);
        try {
            builder.heartbeatPeriod(parse("--heartbeat", heartbeat)).pollTimeout(parse("--poll", poll))
                    .outageLimit(parse("--outage-limit", outageLimit));
            if (taskTimeout != null) {
                builder.taskTimeout(parse("--task-timeout", taskTimeout));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static java.time.Duration parse(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
