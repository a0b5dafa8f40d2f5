package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.internal.Durations;
import dev.starling.optimize.Objective;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Outcome;
import dev.starling.optimize.Problem;
import dev.starling.optimize.SearchSpace;
import dev.starling.optimize.Terminator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
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
            description = "the outcome to optimize (default: ${DEFAULT-VALUE})")
    private String outcome;

    @Option(names = "--maximize", description = "maximize the outcome instead of minimizing it")
    private boolean maximize;

    @Option(names = "--optimizer", defaultValue = "adbo",
            description = "random, adbo or cbo (centralized BO) (default: ${DEFAULT-VALUE})")
    private String optimizer;

    @Option(names = "--design", description = "size of the initial design of adbo and cbo (default: fits the"
            + " budget B and dimension d: max(5, min(2d, B/4)))")
    private Integer design;

    @CommandLine.Mixin
    private Placement placement;

    @CommandLine.Mixin
    private WorkerSettings workerSettings;

    @Option(names = "--evals", defaultValue = "200",
            description = "evaluations in all, counting earlier runs with --resume (default: ${DEFAULT-VALUE})")
    private long evals;

    @Option(names = "--time", description = "also stop after this run time, e.g. 30s, 5m")
    private String time;

    @Option(names = "--target", description = "also stop once the outcome reaches this value")
    private Double targetValue;

    @Option(names = "--stagnation", description = "also stop when the best improved by less than EPS over the"
            + " last K evaluations: K:EPS, e.g. 50:1e-4")
    private String stagnation;

    @Option(names = "--seed", defaultValue = "42", description = "network seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--store", defaultValue = "memory",
            description = "where the shared state lives: memory or redis://host:port (default: ${DEFAULT-VALUE})")
    private String store;

    @Option(names = "--network", defaultValue = "optimize", description = "network name (default: ${DEFAULT-VALUE})")
    private String network;

    @Option(names = "--resume", description = "continue the optimization already in the network (Redis) instead of"
            + " starting afresh")
    private boolean resume;

    @Option(names = "--delay", defaultValue = "0",
            description = "seconds to sleep inside each evaluation, to simulate an expensive objective")
    private double delay;

    @Option(names = "--csv", description = "write every evaluation to this CSV file")
    private Path csv;

    @Option(names = "--jsonl", description = "write every evaluation to this JSON-lines file")
    private Path jsonl;

    @Option(names = "--top", defaultValue = "5",
            description = "show the best K evaluations (default: ${DEFAULT-VALUE})")
    private int top;

    @Override
    public Integer call() throws Exception {
        Optimization optimization;
        Problem problem = null;
        int count = placement.workers(4);
        int processes = placement.processes(4);
        WorkerOptions options = workerSettings.options(true);
        if (evals < 1) {
            throw usage("--evals must be at least 1, was " + evals);
        }
        if (!(delay >= 0)) {
            throw usage("--delay must be zero or more seconds, was " + delay);
        }
        try (Store shared = Store.open(store)) {
            Network net = resume ? Network.open(shared, network) : Network.builder(shared, network).seed(seed).create();
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
                optimization = optimization.space(SearchSpace.fromJson(readSpace(target.space)))
                        .objective(Objective.command(command, duration(commandTimeout, "--command-timeout")))
                        .outcomes(maximize ? Outcome.maximize(outcome)
                                : Outcome.minimize(outcome));
            }
            optimization = optimization.optimizer(optimizer()).terminator(terminator())
                    .delay(Duration.ofNanos((long) (delay * 1e9)));
            optimization = optimization.workers(count).workerOptions(options);
            if (processes > 0) {
                optimization = optimization.processes(processes);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "Optimizing %s with %s, %d workers %s, %d evaluations, seed %d, store %s%s%n",
                    problem != null ? problem.name() : "command '" + command + "'", optimizer, count,
                    processes == 0 ? "on threads" : "in " + processes + " processes", evals, net.settings().seed(),
                    shared.location(),
                    resume ? " (resuming " + net.counts().completed() + " evaluations)" : "");
            out.flush();
            OptimizationResult result;
            try (Progress progress = Progress.start("evaluations", evals)) {
                result = optimization.onProgress(p -> progress.stepTo(p.completed())).run();
            }
            if (csv != null) {
                try (Writer w = Files.newBufferedWriter(csv)) {
                    result.archive().writeCsv(w);
                }
            }
            if (jsonl != null) {
                try (Writer w = Files.newBufferedWriter(jsonl)) {
                    result.archive().writeJsonLines(w);
                }
            }
            long failed = result.archive().evaluations().size() - result.archive().finished().size();
            out.printf(Locale.ROOT, "%d evaluations (%d failed) in %.2f s%n", result.archive().size(), failed,
                    result.elapsed().toNanos() / 1e9);
            if (top > 0 && result.best().isPresent()) {
                out.print(result.archive().table(top));
            }
            if (problem != null && result.best().isPresent()) {
                out.printf(Locale.ROOT, "regret %.6g (optimum %.6f)%n", problem.regret(result.bestValue()),
                        problem.optimum());
            }
            if (failed > 0) {
                result.archive().evaluations().stream().filter(e -> e.error() != null).findFirst().ifPresent(e ->
                        out.printf("first failure (evaluation %d): %s%n", e.id(), e.error()));
            }
            out.println(result.summary());
            if (result.shortfall().isPresent()) {
                out.flush();
                spec.commandLine().getErr().println("starling: the run ended short of " + evals + " evaluations ("
                        + result.archive().size() + " done): " + result.shortfall().get());
                return 1;
            }
            return result.best().isPresent() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Optimizer optimizer() {
        return switch (optimizer) {
            case "random" -> Optimizer.random();
            case "adbo" -> design == null ? Optimizer.adbo() : Optimizer.adbo().withInitialDesign(design);
            case "cbo" -> design == null ? Optimizer.centralized() : Optimizer.centralized().withInitialDesign(design);
            default -> throw usage("--optimizer must be random, adbo or cbo, was '" + optimizer + "'");
        };
    }

    private Terminator terminator() {
        Terminator t = Terminator.evaluations(evals);
        if (time != null) {
            t = t.or(Terminator.runTime(duration(time, "--time")));
        }
        if (targetValue != null) {
            t = t.or(Terminator.target(targetValue));
        }
        if (stagnation != null) {
            String[] parts = stagnation.split(":");
            try {
                t = t.or(Terminator.stagnation(Integer.parseInt(parts[0]), parts.length > 1
                        ? Double.parseDouble(parts[1]) : 0));
            } catch (NumberFormatException e) {
                throw usage("--stagnation must be K:EPS, e.g. 50:1e-4; was '" + stagnation + "'");
            }
        }
        return t;
    }

    private Duration duration(String text, String option) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private String readSpace(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw usage("cannot read the search space file " + file + ": " + e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
