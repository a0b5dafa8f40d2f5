package dev.starling.cli;

import dev.starling.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a network's counts, workers and best value; or one line per network of the store. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows a network: its tasks by state, its budget, its workers (host, pid, state, heartbeat"
                + " age, running task, tasks finished) and, for an optimization, the best value. Without --network,"
                + " one line per network of the store. Reads only; changes nothing."})
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", description = "the network to show (default: every network, one line each)")
    private String network;

    @Option(names = "--watch", description = "show again every --interval: redrawn in place on a terminal, one"
            + " block after another otherwise")
    private boolean watch;

    @CommandLine.Mixin
    private Repeat repeat;

    @Override
    public Integer call() throws InterruptedException {
        boolean terminal = Boolean.parseBoolean(System.getProperty("starling.tty",
                Boolean.toString(System.console() != null)));
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = store.open()) {
            NetworkFeed feed = network == null ? null : new NetworkFeed(store.network(shared, network));
            repeat.run(watch, count -> {
                String text = feed != null ? NetworkView.of(feed.refresh()).render() : NetworksCommand.table(shared);
                if (watch && terminal) {
                    out.print("\033[H\033[2J");
                } else if (count > 0) {
                    out.println();
                }
                out.print(text);
                out.flush();
            });
        }
        return 0;
    }
}
