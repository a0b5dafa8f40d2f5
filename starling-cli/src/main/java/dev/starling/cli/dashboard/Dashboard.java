package dev.starling.cli.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.starling.LogEvent;
import dev.starling.MetricPoint;
import dev.starling.Network;
import dev.starling.Scheduler;
import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.Task;
import dev.starling.TaskPage;
import dev.starling.TaskState;
import dev.starling.cli.NetworkFeed;
import dev.starling.internal.Json;
import dev.starling.optimize.Evaluation;
import dev.starling.optimize.EvaluationArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web dashboard of a store: pages for its networks, a JSON API under {@code /api/}, and Server-Sent Events
 * for live updates, served by the JDK's {@link HttpServer}. It reads the store through the same API as a controller
 * and changes nothing, unless it was started with control allowed; then the control endpoints, and only with the
 * token made at start-up, terminate or kill a network's workers and cancel its queued tasks.
 *
 * <p>Live updates follow the store's {@link Scheduler}: every {@link Settings#refresh()} an event stream reads what
 * is new (counts, workers, and the tasks completed since its cursor) and sends it. Thread-safe.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_LIMIT = 1_000;
    private static final int MAX_LIMIT = 10_000;

    /**
     * How the dashboard serves.
     *
     * @param bind         the address to listen on; 127.0.0.1 keeps it to this machine
     * @param port         the port, or 0 for any free one
     * @param network      the only network to show, or null for every network in the store
     * @param allowControl whether the control endpoints work (with the token); otherwise the dashboard is read-only
     * @param refresh      how often live pages are updated
     */
    public record Settings(String bind, int port, String network, boolean allowControl, Duration refresh) {
        public Settings {
            Objects.requireNonNull(bind, "bind");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            if (refresh == null || refresh.isNegative() || refresh.isZero()) {
                throw new IllegalArgumentException("refresh must be positive, was " + refresh);
            }
        }
    }

    private final Store store;
    private final Settings settings;
    private final Scheduler scheduler;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String token;
    private final Map<String, NetworkFeed> feeds = new ConcurrentHashMap<>();
    private final Assets assets = new Assets();

    private Dashboard(Store store, Settings settings) throws IOException {
        this.store = store;
        this.settings = settings;
        this.scheduler = store.scheduler();
        this.token = settings.allowControl() ? newToken() : null;
        this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 0);
        server.setExecutor(executor);
        server.createContext("/api/", this::api);
        server.createContext("/assets/", exchange -> respond(exchange, () -> assets.serve(exchange)));
        server.createContext("/", exchange -> respond(exchange, () -> assets.page(exchange)));
        server.start();
    }

    /** Starts a dashboard of {@code store}; close it to stop serving. The store stays open. */
    public static Dashboard start(Store store, Settings settings) throws IOException {
        return new Dashboard(Objects.requireNonNull(store, "store"), Objects.requireNonNull(settings, "settings"));
    }

    /** Where it serves, e.g. {@code http://127.0.0.1:8265/}. */
    public URI uri() {
        InetSocketAddress at = server.getAddress();
        String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort() + "/");
    }

    /** The control token, when control is allowed. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- the API ----

    /** An HTTP failure with its status and a message for the user. */
    private static final class HttpError extends RuntimeException {
        private final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @FunctionalInterface
    private interface Handler {
        void handle() throws IOException;
    }

    private void api(HttpExchange exchange) {
        respond(exchange, () -> route(exchange));
    }

    /** Runs {@code handler}, turning what it throws into a JSON error with the right status. */
    private static void respond(HttpExchange exchange, Handler handler) {
        try (exchange) {
            try {
                handler.handle();
            } catch (HttpError e) {
                sendJson(exchange, e.status, Views.error(e.getMessage()));
            } catch (StoreUnavailableException e) {
                sendJson(exchange, 503, Views.error("the store is unreachable: " + e.getMessage()));
            } catch (StarlingException | IllegalArgumentException e) {
                sendJson(exchange, 400, Views.error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("dashboard: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                sendJson(exchange, 500, Views.error(e.toString()));
            }
        } catch (IOException e) {
            LOG.debug("dashboard: the client went away: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        List<String> path = segments(exchange.getRequestURI());
        // path[0] is "api"
        if (path.size() == 2 && path.get(1).equals("networks")) {
            get(exchange);
            sendJson(exchange, 200, networks());
            return;
        }
        if (path.size() == 2 && path.get(1).equals("events")) {
            get(exchange);
            events(exchange, out -> send(out, "networks", Json.mapper().writeValueAsString(networks()), null));
            return;
        }
        if (path.size() < 3 || !path.get(1).equals("networks")) {
            throw new HttpError(404, "no such endpoint: " + exchange.getRequestURI().getPath()
                    + "; the API is under /api/networks");
        }
        NetworkFeed feed = feed(path.get(2));
        Map<String, String> query = query(exchange.getRequestURI());
        String rest = String.join("/", path.subList(3, path.size()));
        if (rest.isEmpty()) {
            get(exchange);
            sendJson(exchange, 200, Views.network(feed.refresh(), settings.allowControl()));
        } else if (rest.equals("tasks")) {
            get(exchange);
            sendJson(exchange, 200, tasks(feed.network(), query));
        } else if (rest.equals("evaluations")) {
            get(exchange);
            sendJson(exchange, 200, evaluations(feed.refresh(), longParameter(query, "since", 0), limit(query))
                    .json());
        } else if (rest.equals("metrics")) {
            get(exchange);
            sendJson(exchange, 200, metrics(feed, longParameter(query, "since", 0), limit(query)));
        } else if (rest.equals("events")) {
            get(exchange);
            networkEvents(exchange, feed, query);
        } else if (path.size() == 6 && path.get(3).equals("workers") && path.get(5).equals("log")) {
            get(exchange);
            sendJson(exchange, 200, log(feed.network(), path.get(4)));
        } else if (path.size() == 5 && path.get(3).equals("control")) {
            control(exchange, feed.network(), path.get(4));
        } else {
            throw new HttpError(404, "no such endpoint: " + exchange.getRequestURI().getPath());
        }
    }

    private static void get(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            throw new HttpError(405, exchange.getRequestMethod() + " is not allowed here; use GET");
        }
    }

    private NetworkFeed feed(String name) {
        if (settings.network() != null && !settings.network().equals(name)) {
            throw new HttpError(404, "this dashboard shows only network '" + settings.network() + "'");
        }
        NetworkFeed known = feeds.get(name);
        if (known != null) {
            return known;
        }
        Network network;
        try {
            network = Network.join(store, name);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StarlingException | IllegalArgumentException e) {
            throw new HttpError(404, "there is no network '" + name + "' in " + store.location());
        }
        return feeds.computeIfAbsent(name, n -> new NetworkFeed(network));
    }

    private ArrayNode networks() {
        ArrayNode list = NODES.arrayNode();
        List<String> names = settings.network() != null ? List.of(settings.network()) : store.networks();
        for (String name : names.stream().sorted().toList()) {
            try {
                list.add(Views.summary(feed(name).refresh()));
            } catch (HttpError | StarlingException gone) {
                // Deleted between the listing and the read.
                feeds.remove(name);
            }
        }
        return list;
    }

    /**
     * Completed tasks since a cursor (all completed states, or the one asked for), or the tasks QUEUED or RUNNING
     * now; with the cursor to read on from, and whether more are waiting.
     */
    private static ObjectNode tasks(Network network, Map<String, String> query) {
        TaskState state = state(query.get("state"));
        int limit = limit(query);
        ObjectNode body = NODES.objectNode();
        ArrayNode tasks = body.putArray("tasks");
        if (state == TaskState.QUEUED || state == TaskState.RUNNING) {
            List<Task> now = network.tasks(state);
            now.stream().limit(limit).forEach(t -> tasks.add(Views.task(t)));
            body.putNull("cursor");
            body.put("more", now.size() > limit);
            return body;
        }
        TaskPage page = network.completedSince(longParameter(query, "since", 0), limit);
        page.tasks().stream().filter(t -> state == null || t.state() == state).forEach(t -> tasks.add(Views.task(t)));
        body.put("cursor", page.cursor());
        body.put("more", page.tasks().size() == limit);
        return body;
    }

    private static TaskState state(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        try {
            return TaskState.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "state must be one of " + Arrays.toString(TaskState.values()) + ", was '"
                    + name + "'");
        }
    }

    private static int limit(Map<String, String> query) {
        long limit = longParameter(query, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HttpError(400, "limit must be in 1.." + MAX_LIMIT + ", was " + limit);
        }
        return (int) limit;
    }

    private static long longParameter(Map<String, String> query, String name, long otherwise) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new HttpError(400, name + " must be a whole number >= 0, was '" + value + "'");
        }
    }

    /** A page of an optimization's evaluations as chart rows, from index {@code since} of its archive. */
    private record EvaluationPage(ArrayNode rows, long next) {
        ObjectNode json() {
            ObjectNode body = NODES.objectNode();
            body.set("evaluations", rows);
            body.put("next", next);
            return body;
        }
    }

    private static EvaluationPage evaluations(NetworkFeed.Snapshot snapshot, long since, int limit) {
        Optional<EvaluationArchive> optimization = snapshot.optimization();
        if (optimization.isEmpty()) {
            throw new HttpError(404, "network '" + snapshot.network().name() + "' runs no optimization");
        }
        EvaluationArchive archive = optimization.get();
        if (since >= archive.size()) {
            // Nothing new: every refresh of every stream asks, and a copy of the whole archive is not free.
            return new EvaluationPage(NODES.arrayNode(), since);
        }
        List<Evaluation> all = archive.evaluations();
        ArrayNode rows = NODES.arrayNode();
        long next = Math.min(all.size(), since + limit);
        for (long i = since; i < next; i++) {
            rows.add(Views.evaluationRow(all.get((int) i), archive.outcome(), archive.space().orElse(null)));
        }
        return new EvaluationPage(rows, Math.max(next, since));
    }

    /**
     * Per-worker utilization, tasks completed, for an optimization the best value each time it improved, and the
     * metric points the network recorded (an algorithm's), from position {@code since}.
     */
    private static ObjectNode metrics(NetworkFeed feed, long since, int limit) {
        NetworkFeed.Snapshot s = feed.refresh();
        ObjectNode body = NODES.objectNode();
        body.set("series", metricPage(feed.network(), since, limit));
        body.put("at", s.at().toString());
        ObjectNode utilization = body.putObject("utilization");
        s.workers().forEach(w -> utilization.put(w.id(), Math.round(s.utilization(w) * 1000) / 1000.0));
        long[] completed = new long[1];
        s.tallies().values().forEach(t -> completed[0] += t[0] + t[1]);
        body.put("completed", completed[0]);
        s.optimization().ifPresent(archive -> {
            ArrayNode best = body.putArray("best");
            double bestLoss = Double.POSITIVE_INFINITY;
            int n = 0;
            for (Evaluation e : archive.finished()) {
                n++;
                double v = e.outcomes().getOrDefault(archive.outcome().name(), Double.NaN);
                if (Double.isFinite(v) && archive.outcome().loss(v) < bestLoss) {
                    bestLoss = archive.outcome().loss(v);
                    best.addObject().put("evaluation", n).put("id", e.id())
                            .put("finished", e.finished() == null ? null : e.finished().toString()).put("value", v);
                }
            }
        });
        return body;
    }

    /** {@code {"points": [...], "next": position after them}}. */
    private static ObjectNode metricPage(Network network, long since, int limit) {
        ObjectNode page = NODES.objectNode();
        ArrayNode points = page.putArray("points");
        List<MetricPoint> read = network.metrics(since, limit);
        read.forEach(p -> points.add(Views.metric(p)));
        page.put("next", since + read.size());
        return page;
    }

    private static ArrayNode log(Network network, String worker) {
        if (network.workers().stream().noneMatch(w -> w.id().equals(worker))) {
            throw new HttpError(404, "network '" + network.name() + "' has no worker '" + worker + "'");
        }
        ArrayNode events = NODES.arrayNode();
        for (LogEvent e : network.log(worker)) {
            events.add(Views.logEvent(e));
        }
        return events;
    }

    private void control(HttpExchange exchange, Network network, String action) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new HttpError(405, "control takes POST");
        }
        if (token == null) {
            throw new HttpError(403, "this dashboard is read-only; start it with --allow-control to control"
                    + " networks");
        }
        String given = exchange.getRequestHeaders().getFirst("X-Starling-Token");
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "control needs the token printed when the dashboard started, in the header"
                    + " X-Starling-Token");
        }
        int affected = switch (action) {
            case "terminate" -> network.requestStop(StopRequest.TERMINATE);
            case "kill" -> network.requestStop(StopRequest.KILL);
            case "cancel" -> network.cancelQueued();
            default -> throw new HttpError(404, "control actions are terminate, kill and cancel; was '" + action
                    + "'");
        };
        LOG.info("dashboard: {} on network '{}' affected {}", action, network.name(), affected);
        sendJson(exchange, 200, NODES.objectNode().put("action", action).put("affected", affected));
    }

    // ---- live updates ----

    /** What an event stream sends at each refresh. */
    @FunctionalInterface
    private interface Updates {
        void send(OutputStream out) throws IOException;
    }

    /**
     * Serves a Server-Sent Events stream: {@code updates} at once, then again at every refresh of the scheduler,
     * until the client goes away or the dashboard closes.
     */
    private void events(HttpExchange exchange, Updates updates) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        Semaphore tick = new Semaphore(0);
        Scheduler.Cancellable ticks = scheduler.repeat(settings.refresh(), tick::release);
        try {
            while (true) {
                try {
                    updates.send(out);
                } catch (StarlingException e) {
                    send(out, "problem", Json.mapper().writeValueAsString(Views.error(
                            e instanceof StoreUnavailableException ? "the store is unreachable: " + e.getMessage()
                                    : e.getMessage())), null);
                }
                out.flush();
                tick.acquire();
                tick.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            LOG.debug("dashboard: an event stream closed: {}", gone.toString());
        } finally {
            ticks.cancel();
        }
    }

    /**
     * The event stream of one network: at every refresh a {@code network} event (as {@code /api/networks/{name}}),
     * then the tasks completed since the stream's cursor as {@code tasks} events (stream rows, and failed tasks in
     * full), for an optimization the new evaluations as {@code evaluations} events, and for a network that records
     * metrics the new points as {@code metrics} events. The event id carries the three cursors, so a browser that
     * reconnects resumes where it was.
     */
    private void networkEvents(HttpExchange exchange, NetworkFeed feed, Map<String, String> query)
            throws IOException {
        long[] cursors = {longParameter(query, "since", 0), longParameter(query, "evaluations", 0),
            longParameter(query, "metrics", 0)};
        String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (lastId != null && lastId.matches("\\d+,\\d+,\\d+")) {
            String[] parts = lastId.split(",");
            for (int i = 0; i < cursors.length; i++) {
                cursors[i] = Long.parseLong(parts[i]);
            }
        }
        events(exchange, out -> sendUpdates(out, feed, cursors));
    }

    private void sendUpdates(OutputStream out, NetworkFeed feed, long[] cursors) throws IOException {
        NetworkFeed.Snapshot snapshot = feed.refresh();
        send(out, "network", Json.mapper().writeValueAsString(Views.network(snapshot, settings.allowControl())),
                null);
        while (true) {
            TaskPage page = feed.network().completedSince(cursors[0], NetworkFeed.PAGE);
            cursors[0] = page.cursor();
            if (!page.tasks().isEmpty()) {
                ObjectNode body = NODES.objectNode();
                body.put("cursor", page.cursor());
                body.set("rows", Views.rows(page.tasks()));
                ArrayNode failed = body.putArray("failed");
                page.tasks().stream().filter(t -> t.state() == TaskState.FAILED)
                        .forEach(t -> failed.add(Views.task(t)));
                send(out, "tasks", Json.mapper().writeValueAsString(body), cursors);
            }
            if (page.tasks().size() < NetworkFeed.PAGE) {
                break;
            }
        }
        if (snapshot.optimization().isPresent()) {
            while (true) {
                EvaluationPage page = evaluations(snapshot, cursors[1], NetworkFeed.PAGE);
                cursors[1] = page.next();
                if (page.rows().isEmpty()) {
                    break;
                }
                send(out, "evaluations", Json.mapper().writeValueAsString(page.json()), cursors);
            }
        }
        if (snapshot.metrics()) {
            while (true) {
                ObjectNode page = metricPage(feed.network(), cursors[2], NetworkFeed.PAGE);
                long read = page.get("next").asLong() - cursors[2];
                cursors[2] = page.get("next").asLong();
                if (read == 0) {
                    break;
                }
                send(out, "metrics", Json.mapper().writeValueAsString(page), cursors);
            }
        }
    }

    private static void send(OutputStream out, String event, String data, long[] cursors) throws IOException {
        StringBuilder message = new StringBuilder();
        message.append("event: ").append(event).append('\n');
        if (cursors != null) {
            message.append("id: ").append(cursors[0]).append(',').append(cursors[1]).append(',').append(cursors[2])
                    .append('\n');
        }
        message.append("data: ").append(data).append("\n\n");
        out.write(message.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- HTTP helpers ----

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, bytes);
    }

    static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static void send(HttpExchange exchange, InputStream in, String type) throws IOException {
        try (in) {
            exchange.getResponseHeaders().set("Content-Type", type);
            send(exchange, 200, in.readAllBytes());
        }
    }

    /** The path's segments, each percent-decoded on its own, so an encoded '/' stays inside its segment. */
    static List<String> segments(URI uri) {
        String raw = uri.getRawPath();
        return Arrays.stream(raw.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }
}
