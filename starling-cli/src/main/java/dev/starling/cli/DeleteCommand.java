package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes a network from its store, after asking. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes a network: its settings, tasks, workers, events and attributes. Asks first, unless"
                + " --yes is given; workers still running fail on their next call to the store.")
final class DeleteCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", required = true, description = "the network to delete")
    private String network;

    @Option(names = "--yes", description = "do not ask")
    private boolean yes;

    @Override
    public Integer call() throws IOException {
        try (Store shared = store.open()) {
            Network net = store.network(shared, network);
            NetworkView view = NetworkView.read(net);
            String what = String.format(Locale.ROOT, "network '%s' in %s (%d tasks, %d workers alive)", network,
                    shared.location(), view.counts().total(), view.alive());
            if (!yes) {
                spec.commandLine().getOut().print("Delete " + what + "? [y/N] ");
                spec.commandLine().getOut().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                    spec.commandLine().getErr().println("starling: not deleted" + (answer == null
                            ? " (no answer on standard input; pass --yes to delete without asking)" : ""));
                    return 1;
                }
            }
            net.delete();
            spec.commandLine().getOut().println("deleted " + what);
        }
        return 0;
    }
}
