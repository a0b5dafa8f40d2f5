package dev.starling.cli;

import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.Store;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Lists the networks of a store. */
@Command(name = "networks", mixinStandardHelpOptions = true,
        description = "Lists the networks of a store: name, tasks by state, workers alive and lost, budget used.")
final class NetworksCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Override
    public Integer call() {
        try (Store shared = store.open()) {
            spec.commandLine().getOut().print(table(shared));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** One line per network of {@code shared}, or a line saying there is none. */
    static String table(Store shared) {
        StringBuilder out = new StringBuilder();
        for (String name : shared.networks()) {
            NetworkView view;
            try {
                view = NetworkView.read(Network.join(shared, name));
            } catch (StarlingException deletedMeanwhile) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%s: %s; workers %d alive, %d lost; budget %s%n", name,
                    view.countsText(), view.alive(), view.lost(), view.budgetText()));
        }
        return out.isEmpty() ? "no networks in " + shared.location() + System.lineSeparator() : out.toString();
    }
}
