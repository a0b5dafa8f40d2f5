package dev.starling.cli;

import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.Store;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The store and network that the reading commands (status, tasks, logs, networks, delete) look at. The store must
 * be one that other processes share: the memory store lives inside the process that runs it. A picocli mixin.
 */
final class StoreOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", required = true, description = "the shared store, e.g. redis://127.0.0.1:6379")
    String store;

    /** Opens the store; the memory store is a usage error, since there is nothing in a new one. */
    Store open() {
        if (store.equals("memory") || store.startsWith("memory?")) {
            throw usage("--store memory holds only what this process puts in it, which is nothing; give the shared"
                    + " store the network runs on, e.g. --store redis://127.0.0.1:6379");
        }
        return Store.open(store);
    }

    /** The existing network {@code name} in {@code shared}; a usage error naming the networks there otherwise. */
    Network network(Store shared, String name) {
        try {
            return Network.join(shared, name);
        } catch (StarlingException e) {
            throw usage("there is no network '" + name + "' in " + shared.location() + "; it holds "
                    + (shared.networks().isEmpty() ? "none" : String.join(", ", shared.networks())));
        }
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
