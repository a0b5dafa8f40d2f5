package dev.starling.cli;

import dev.starling.Store;
import dev.starling.cli.dashboard.Dashboard;
import dev.starling.internal.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves the live web dashboard of a store until interrupted. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a live web dashboard of the networks in a store: their tasks, workers, task stream,"
                + " throughput, failures and logs, and for optimizations the best value, the evaluations by worker,"
                + " the parameters and the top configurations; plus the JSON API under /api/. Read-only unless"
                + " --allow-control is given. Runs until interrupted (Ctrl-C)."})
final class DashboardCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private StoreOptions store;

    @Option(names = "--network", description = "show only this network (default: every network of the store)")
    private String network;

    @Option(names = "--port", defaultValue = "8265", description = "the port to serve on, 0 for any free one"
            + " (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "the address to listen on (default:"
            + " ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface)")
    private String bind;

    @Option(names = "--refresh", defaultValue = "1s", description = "how often live pages update (default:"
            + " ${DEFAULT-VALUE})")
    private String refresh;

    @Option(names = "--allow-control", description = "let the dashboard terminate or kill a network's workers and"
            + " cancel its queued tasks, with the token it prints at start-up")
    private boolean allowControl;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Duration every;
        try {
            every = Durations.parse(refresh);
        } catch (IllegalArgumentException e) {
            throw store.usage("--refresh: " + e.getMessage());
        }
        if (every.isZero() || every.isNegative()) {
            throw store.usage("--refresh must be positive, was " + refresh);
        }
        if (port < 0 || port > 65_535) {
            throw store.usage("--port must be in 0..65535, was " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        Store shared = store.open();
        if (network != null) {
            store.network(shared, network);
        }
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(shared, new Dashboard.Settings(bind, port, network, allowControl, every));
        } catch (BindException e) {
            shared.close();
            throw store.usage("cannot serve on " + bind + ":" + port + " (" + e.getMessage() + "); give another"
                    + " --port, or --port 0 for any free one");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            shared.close();
            stopped.countDown();
        }, "dashboard-shutdown"));
        String page = dashboard.uri() + (network == null ? "" : "networks/" + network);
        out.printf("dashboard of %s at %s (read-%s); Ctrl-C stops it%n", shared.location(), page,
                allowControl ? "write: control allowed" : "only");
        dashboard.token().ifPresent(token -> out.printf("control token: %s%nopen %s#token=%s to control from the"
                + " page, or send the header X-Starling-Token: %s%n", token, page, token, token));
        out.flush();
        stopped.await();
        return 0;
    }
}
