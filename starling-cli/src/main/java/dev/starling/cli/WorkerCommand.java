package dev.starling.cli;

import dev.starling.WorkerLoop;
import dev.starling.WorkerOptions;
import dev.starling.internal.WorkerMain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Runs workers of an existing network in this process, until they are terminated, killed or the budget is used up.
 * Exits as a worker process does: 0, 1 on a failure, {@value WorkerMain#OUTAGE} when the store stayed unreachable
 * past the outage limit.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run workers of an existing network (on a shared store such as Redis) in this process.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "the shared store, e.g. redis://host:6379")
    private String store;

    @Option(names = "--network", required = true, description = "the network to join")
    private String network;

    @Option(names = "--loop",
            description = "the worker loop: a class on this class path implementing QueueLoop or FreeLoop")
    private String loop;

    @Option(names = "--functions",
            description = "the functions to run for futures: a subclass of dev.starling.futures.Functions on this"
                    + " class path (instead of --loop)")
    private String functions;

    @Option(names = "--tags", split = ",",
            description = "tags these workers carry, comma-separated (e.g. chunk=3,gpu): tasks routed to a tag run"
                    + " only on workers that carry it")
    private Set<String> tags = Set.of();

    @Option(names = "--accept", split = ",",
            description = "what this worker may run of what the network's definition in the store names, besides"
                    + " Starling's own classes: class-name prefixes (your objective or algorithm classes), and"
                    + " 'commands' for command objectives (default: nothing more)")
    private List<String> accept = List.of();

    @Option(names = "--workers", defaultValue = "1",
            description = "workers in this process, sharing its start-up and connections (default: ${DEFAULT-VALUE})")
    private int workers;

    @CommandLine.Mixin
    private WorkerSettings workerSettings;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        WorkerLoop workerLoop;
        WorkerOptions options;
        try {
            WorkerMain.requireWorkers(workers);
            workerLoop = WorkerMain.loop(loop, functions);
            options = workerSettings.options(false).withTags(tags);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        WorkerMain.accept(String.join(",", accept));
        // Platform threads: a round trip to the store is cheaper from one than from a virtual thread.
        return WorkerMain.exitCode(WorkerMain.run(store, network, workerLoop, workers, options));
    }
}
