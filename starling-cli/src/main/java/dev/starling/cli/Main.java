package dev.starling.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code starling} command. */
@Command(name = "starling",
        description = "Asynchronous, decentralized iterative algorithms over a shared task store.",
        mixinStandardHelpOptions = true,
        version = "starling 0.1.0-SNAPSHOT",
        subcommands = {DemoCommand.class, OptimizeCommand.class, TuneCommand.class, CvCommand.class, DashboardCommand.class, StatusCommand.class, NetworksCommand.class, TasksCommand.class, LogsCommand.class, DeleteCommand.class, PlotCommand.class, AdmmCommand.class, IterateCommand.class, BenchCommand.class,
            WorkerCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 1 failure, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("starling: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'starling demo'");
    }
}
