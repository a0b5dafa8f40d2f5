package dev.starling.cli;

import dev.starling.WorkerOptions;
import dev.starling.internal.Durations;
import dev.starling.internal.WorkerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs workers of an existing network in this process, until they are terminated, killed or the budget is used up.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run workers of an existing network (on a shared store such as Redis) in this process.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "the shared store, e.g. redis://host:6379")
    private String store;

    @Option(names = "--network", required = true, description = "the network to join")
    private String network;

    @Option(names = "--loop", required = true,
            description = "the worker loop: a class on this class path implementing QueueLoop or FreeLoop")
    private String loop;

    @Option(names = "--workers", defaultValue = "1",
            description = "workers in this process, sharing its start-up and connections (default: ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--heartbeat", defaultValue = "1s", description = "heartbeat period (default: ${DEFAULT-VALUE})")
    private String heartbeat;

    @Option(names = "--task-timeout", description = "fail a task that runs longer than this (default: none)")
    private String taskTimeout;

    @Option(names = "--poll", defaultValue = "250ms",
            description = "longest wait for a queued task before checking for a stop (default: ${DEFAULT-VALUE})")
    private String poll;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        WorkerOptions.Builder options = WorkerOptions.builder().virtualThread(false);
        try {
            options.heartbeatPeriod(Durations.parse(heartbeat)).pollTimeout(Durations.parse(poll));
            WorkerMain.requireWorkers(workers);
            if (taskTimeout != null) {
                options.taskTimeout(Durations.parse(taskTimeout));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        WorkerMain.run(store, network, loop, workers, options.build());
        return 0;
    }
}
