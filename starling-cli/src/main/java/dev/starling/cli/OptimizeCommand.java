package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.optimize.Objective;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Problem;
import dev.starling.optimize.Terminator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Black-box optimization of a benchmark problem or of any command, on the memory store or on Redis. */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Optimizes a benchmark problem, or any command that reads a configuration as JSON on stdin and"
                + " prints a JSON object of outcomes on stdout.",
            "Ends with: best y=<value> evaluations=<n> workers=<w> utilization=<u>"})
final class OptimizeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    static final class Target {
        @Option(names = "--problem", description = "a benchmark problem: branin, hartmann3, hartmann6,"
                + " rosenbrock<d>, ackley<d> (e.g. ackley10)")
        String problem;

        @Option(names = "--space", description = "a JSON file describing the search space (use with --command)")
        Path space;
    }

    @Option(names = "--command", description = "the objective: run through sh -c per evaluation, configuration as"
            + " JSON on stdin, outcomes as a JSON object on stdout")
    private String command;

    @Option(names = "--command-timeout", defaultValue = "1h",
            description = "fail an evaluation whose command runs longer (default: ${DEFAULT-VALUE})")
    private String commandTimeout;

    @Option(names = "--outcome", defaultValue = "y",
            description = "the outcome to optimize, or several, NAME[:min|:max],…, for their Pareto front (e.g."
                    + " loss:min,time:min) (default: ${DEFAULT-VALUE})")
    private String outcome;

    @Option(names = "--maximize", description = "maximize the outcome instead of minimizing it")
    private boolean maximize;

    @CommandLine.Mixin
    private Placement placement;

    @CommandLine.Mixin
    private WorkerSettings workerSettings;

    @CommandLine.Mixin
    private SearchOptions search;

    @Option(names = "--target", description = "also stop once the outcome reaches this value")
    private Double targetValue;

    @Option(names = "--delay", defaultValue = "0",
            description = "seconds to sleep inside each evaluation, to simulate an expensive objective")
    private double delay;

    @Override
    public Integer call() throws Exception {
        Optimization optimization;
        Problem problem = null;
        int count = placement.workers(4);
        int processes = placement.processes(4);
        WorkerOptions options = workerSettings.options(true);
        long evals = search.evals(200);
        if (!(delay >= 0)) {
            throw usage("--delay must be zero or more seconds, was " + delay);
        }
        try (Store shared = search.openStore()) {
            Network net = search.network(shared, "optimize");
            optimization = Optimization.on(net);
            if (target.problem != null) {
                if (command != null) {
                    throw usage("--command goes with --space, not with --problem");
                }
                problem = Problem.named(target.problem);
                optimization = optimization.problem(problem);
            } else {
                if (command == null) {
                    throw usage("--space needs --command: the objective to run per evaluation");
                }
                optimization = optimization.space(search.space(target.space))
                        .objective(Objective.command(command, search.duration(commandTimeout, "--command-timeout")));
                optimization = SearchOptions.optimizing(optimization, search.outcomes(outcome, "--outcome",
                        name -> maximize));
            }
            Terminator terminator = search.terminator(evals);
            if (targetValue != null) {
                terminator = terminator.or(Terminator.target(targetValue));
            }
            optimization = optimization.optimizer(search.optimizer(null)).terminator(terminator)
                    .delay(Duration.ofNanos((long) (delay * 1e9)));
            optimization = optimization.workers(count).workerOptions(options);
            if (processes > 0) {
                optimization = optimization.processes(processes).maxRestarts(placement.maxRestarts());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "Optimizing %s with %s, %d workers %s, %d evaluations, seed %d, store %s%s%n",
                    problem != null ? problem.name() : "command '" + command + "'", search.optimizerName(), count,
                    processes == 0 ? "on threads" : "in " + processes + " processes", evals, net.settings().seed(),
                    shared.location(),
                    search.resuming() ? " (resuming " + net.counts().completed() + " evaluations)" : "");
            out.flush();
            OptimizationResult result = search.run(optimization, evals);
            Problem solved = problem;
            return search.report(result, evals, Double.NaN, o -> {
                if (solved != null && result.best().isPresent()) {
                    o.printf(Locale.ROOT, "regret %.6g (optimum %.6f)%n", solved.regret(result.bestValue()),
                            solved.optimum());
                }
            });
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return search.usage(message);
    }
}
