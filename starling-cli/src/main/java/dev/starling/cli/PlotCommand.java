package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.cli.plots.NetworkPlots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Draws a network's task stream or progress to a PNG file. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws a network to a PNG file: its task stream (one row per worker, a bar per task, failed"
                + " tasks in red) or its progress (tasks completed over time). Reads only."})
final class PlotCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", required = true, description = "the network")
    private String network;

    @Option(names = "--kind", defaultValue = "stream", description = "stream or progress (default: ${DEFAULT-VALUE})")
    private String kind;

    @Parameters(index = "0", paramLabel = "FILE.png", description = "the picture to write")
    private Path file;

    @Override
    public Integer call() throws IOException {
        if (!kind.equals("stream") && !kind.equals("progress")) {
            throw store.usage("--kind must be stream or progress, was '" + kind + "'");
        }
        try (Store shared = store.open()) {
            Network net = store.network(shared, network);
            if (kind.equals("stream")) {
                NetworkPlots.stream(net, file);
            } else {
                NetworkPlots.progress(net, file);
            }
        }
        spec.commandLine().getOut().println("wrote the " + kind + " of network '" + network + "' to " + file);
        return 0;
    }
}
