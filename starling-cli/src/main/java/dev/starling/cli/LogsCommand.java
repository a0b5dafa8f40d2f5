package dev.starling.cli;

import dev.starling.LogEvent;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows the log events workers keep in the store. */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows the log events (INFO and above) that a network's workers keep in the store, oldest first.")
final class LogsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", required = true, description = "the network")
    private String network;

    @Option(names = "--worker", description = "only this worker's events (default: every worker's, by time)")
    private String worker;

    @Option(names = "--follow", description = "keep printing new events, every --interval, until interrupted")
    private boolean follow;

    @CommandLine.Mixin
    private Repeat repeat;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (Store shared = store.open()) {
            Network net = store.network(shared, network);
            if (worker != null && net.workers().stream().noneMatch(w -> w.id().equals(worker))) {
                throw store.usage("network '" + network + "' has no worker '" + worker + "'; its workers are "
                        + String.join(", ", net.workers().stream().map(WorkerInfo::id).toList()));
            }
            Map<String, Integer> printed = new HashMap<>();
            repeat.run(follow, count -> {
                List<LogEvent> fresh = new ArrayList<>();
                List<String> ids = worker != null ? List.of(worker)
                        : net.workers().stream().map(WorkerInfo::id).toList();
                for (String id : ids) {
                    List<LogEvent> events = net.log(id);
                    int seen = printed.getOrDefault(id, 0);
                    fresh.addAll(events.subList(Math.min(seen, events.size()), events.size()));
                    printed.put(id, events.size());
                }
                fresh.sort(Comparator.comparing(LogEvent::time));
                for (LogEvent e : fresh) {
                    out.printf("%s %-5s [%s] %s%n", e.time(), e.level(), e.worker(), e.message());
                }
                out.flush();
            });
        }
        return 0;
    }
}
