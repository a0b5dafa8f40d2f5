package dev.starling.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.Controller;
import dev.starling.MetricPoint;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import dev.starling.internal.Json;
import dev.starling.testkit.ManualScheduler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's JSON API and event streams over a memory store on a manual scheduler: what it serves is compared
 * with what the store holds, and live updates come when the scheduler's time moves, not after a sleep.
 */
@Timeout(60)
class DashboardApiTest {
    /** A name with every kind of character a network name may hold, ':' and '.' among them. */
    private static final String NAME = "dash:a.b_c-1";
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final HttpClient http = HttpClient.newHttpClient();
    private Store store;
    private Network network;
    private WorkerSession worker;
    private Dashboard dashboard;

    @BeforeEach
    void start() throws IOException {
        store = Store.memory(scheduler);
        network = Network.builder(store, NAME).budget(100).create();
        worker = network.openSession(WorkerOptions.defaults());
        dashboard = Dashboard.start(store, new Dashboard.Settings("127.0.0.1", 0, null, false, REFRESH));
    }

    @AfterEach
    void stop() {
        dashboard.close();
        worker.close();
        store.close();
    }

    private static String path(String name) {
        return "api/networks/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> request(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(dashboard.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = request(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private Task finishOne(int x) {
        Task task = worker.create(Map.of("x", x)).orElseThrow();
        worker.finish(task, Map.of("y", x * x));
        return task;
    }

    @Test
    void network_servesCountsBudgetAndWorkers_asTheStoreHoldsThem() throws Exception {
        finishOne(1);
        finishOne(2);
        Task running = worker.create(Map.of("x", 3)).orElseThrow();

        JsonNode body = get(path(NAME));

        assertThat(body.get("name").asText()).isEqualTo(NAME);
        assertThat(body.get("counts").get("FINISHED").asLong()).isEqualTo(network.counts().finished()).isEqualTo(2);
        assertThat(body.get("counts").get("RUNNING").asLong()).isEqualTo(1);
        assertThat(body.get("budget").get("limit").asLong()).isEqualTo(100);
        assertThat(body.get("budget").get("used").asLong()).isEqualTo(3);
        JsonNode w = body.get("workers").get(0);
        assertThat(body.get("workers")).hasSize(1);
        assertThat(w.get("id").asText()).isEqualTo(worker.workerId());
        assertThat(w.get("state").asText()).isEqualTo("RUNNING");
        assertThat(w.get("task").asLong()).isEqualTo(running.id());
        assertThat(w.get("finished").asLong()).isEqualTo(2);
        assertThat(w.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(w.get("host").asText()).isNotEmpty();
        assertThat(w.get("heartbeat").asText()).isEqualTo(network.workers().getFirst().lastHeartbeat().toString());
    }

    @Test
    void networks_listsEachNetworkWithItsCounts() throws Exception {
        finishOne(1);
        Network.builder(store, "other").create();

        JsonNode list = get("api/networks");

        assertThat(list).extracting(n -> n.get("name").asText()).containsExactly(NAME, "other");
        assertThat(list.get(0).get("counts").get("FINISHED").asLong()).isEqualTo(1);
        assertThat(list.get(0).get("workerCounts").get("RUNNING").asLong()).isEqualTo(1);
        assertThat(list.get(1).get("budget").get("limit").isNull()).isTrue();
    }

    @Test
    void tasks_sinceACursor_returnsOnlyWhatCompletedAfterIt() throws Exception {
        Task first = finishOne(1);
        Task failed = worker.create(Map.of("x", 2)).orElseThrow();
        worker.fail(failed, new IllegalStateException("two is refused"));

        JsonNode page = get(path(NAME) + "/tasks");
        assertThat(page.get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(first.id(), failed.id());
        JsonNode error = page.get("tasks").get(1).get("error");
        assertThat(error.get("type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(error.get("message").asText()).isEqualTo("two is refused");
        assertThat(error.get("stackTrace").asText()).contains("at dev.starling");

        Task third = finishOne(3);
        JsonNode next = get(path(NAME) + "/tasks?since=" + page.get("cursor").asLong());
        assertThat(next.get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(third.id());
        assertThat(next.get("tasks").get(0).get("ys").get("y").asInt()).isEqualTo(9);

        JsonNode onlyFailed = get(path(NAME) + "/tasks?state=failed");
        assertThat(onlyFailed.get("tasks")).extracting(t -> t.get("id").asLong()).containsExactly(failed.id());
        JsonNode limited = get(path(NAME) + "/tasks?limit=1");
        assertThat(limited.get("tasks")).hasSize(1);
        assertThat(limited.get("more").asBoolean()).isTrue();
    }

    @Test
    void metrics_ofAnAlgorithmNetwork_areServedFromAPosition() throws Exception {
        assertThat(get(path(NAME)).get("kind").asText()).isEqualTo("tasks");
        java.time.Instant now = scheduler.clock().instant();
        network.recordMetrics(List.of(new MetricPoint(now, Map.of("loss", 2.0)),
                new MetricPoint(now.plusMillis(5), Map.of("loss", 1.0, "staleness", 3.0))));

        JsonNode all = get(path(NAME) + "/metrics").get("series");
        assertThat(all.get("points")).extracting(p -> p.get("values").get("loss").asDouble()).containsExactly(2.0, 1.0);
        assertThat(all.get("next").asLong()).isEqualTo(2);
        JsonNode later = get(path(NAME) + "/metrics?since=1").get("series");
        assertThat(later.get("points")).singleElement().satisfies(p -> {
            assertThat(p.get("t").asLong()).isEqualTo(now.plusMillis(5).toEpochMilli());
            assertThat(p.get("values").get("staleness").asDouble()).isEqualTo(3.0);
        });
        assertThat(get(path(NAME)).get("kind").asText()).isEqualTo("algorithm");
    }

    @Test
    void aDashboardOfOneNetwork_showsOnlyThatOne() throws Exception {
        Network.builder(store, "other").create();
        try (Dashboard one = Dashboard.start(store, new Dashboard.Settings("127.0.0.1", 0, NAME, false, REFRESH))) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(one.uri().resolve("api/networks")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Json.mapper().readTree(list.body())).extracting(n -> n.get("name").asText())
                    .containsExactly(NAME);
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(one.uri().resolve(path("other"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).contains("shows only network '" + NAME + "'");
        }
    }

    @Test
    void aNetworkResetUnderTheDashboard_isReadAfreshNotFromTheOldCursor() throws Exception {
        finishOne(1);
        finishOne(2);
        assertThat(get(path(NAME)).get("workers").get(0).get("finished").asLong()).isEqualTo(2);

        network.reset();
        worker.close();
        worker = network.openSession(WorkerOptions.defaults());
        finishOne(3);

        JsonNode after = get(path(NAME));
        assertThat(after.get("counts").get("FINISHED").asLong()).isEqualTo(1);
        assertThat(after.get("workers")).singleElement()
                .satisfies(w -> assertThat(w.get("finished").asLong()).isEqualTo(1));
    }

    @Test
    void badRequests_getAnErrorThatNamesTheProblem() throws Exception {
        HttpResponse<String> state = request(path(NAME) + "/tasks?state=done");
        assertThat(state.statusCode()).isEqualTo(400);
        assertThat(state.body()).contains("state must be one of").contains("FINISHED").contains("'done'");
        assertThat(request(path(NAME) + "/tasks?limit=0").body()).contains("limit must be in 1..10000, was 0");
        assertThat(request(path(NAME) + "/tasks?since=-3").body()).contains("since must be a whole number");

        HttpResponse<String> missing = request(path("nowhere"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("there is no network 'nowhere'");
        // Names with characters special in URLs or Redis patterns are looked up as they are, never as patterns.
        for (String hostile : List.of("dash*", "dash:a.b_c-?", "../" + NAME, "a/b", "{x}", "%")) {
            HttpResponse<String> response = request(path(hostile));
            assertThat(response.statusCode()).as(hostile).isEqualTo(404);
        }
        HttpResponse<String> noWorker = request(path(NAME) + "/workers/w-none/log");
        assertThat(noWorker.statusCode()).isEqualTo(404);
        assertThat(noWorker.body()).contains("network '" + NAME + "' has no worker 'w-none'");
        assertThat(get(path(NAME) + "/workers/" + worker.workerId() + "/log").isArray()).isTrue();
    }

    @Test
    void control_isRefusedWithoutTheFlag_andWithoutTheToken() throws Exception {
        HttpResponse<String> readOnly = post(dashboard, "cancel", null);
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(readOnly.body()).contains("read-only").contains("--allow-control");

        try (Controller controller = network.controller();
             Dashboard control = Dashboard.start(store, new Dashboard.Settings("127.0.0.1", 0, null, true,
                     REFRESH))) {
            List<Long> queued = controller.push(List.of(Map.of("x", 7), Map.of("x", 8)));
            assertThat(post(control, "cancel", null).statusCode()).isEqualTo(401);
            assertThat(post(control, "cancel", "wrong").statusCode()).isEqualTo(401);
            assertThat(network.counts().queued()).isEqualTo(2);

            HttpResponse<String> cancelled = post(control, "cancel", control.token().orElseThrow());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(cancelled.body()).get("affected").asInt()).isEqualTo(2);
            assertThat(network.tasks(TaskState.CANCELLED)).extracting(Task::id).containsExactlyElementsOf(queued);

            assertThat(post(control, "terminate", control.token().orElseThrow()).statusCode()).isEqualTo(200);
            scheduler.advance(Duration.ofSeconds(2));
            assertThat(worker.isStopping()).isTrue();
            assertThat(post(control, "reboot", control.token().orElseThrow()).statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> post(Dashboard target, String action, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve(path(NAME) + "/control/" + action))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("X-Starling-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One Server-Sent Event: its name and its data. */
    private record Event(String name, JsonNode data) {
    }

    @Test
    void events_sendTheNetworkAtOnce_andNewTasksWhenTheSchedulerTicks() throws Exception {
        Task before = finishOne(1);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(dashboard.uri().resolve(path(NAME) + "/events")).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = Thread.ofVirtual().start(() -> {
            String name = null;
            try {
                for (String line : (Iterable<String>) response.body()::iterator) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(name, Json.mapper().readTree(line.substring(6))));
                    }
                }
            } catch (IOException | java.io.UncheckedIOException closed) {
                // The test closed the stream.
            }
        });
        try {
            Event network = take(events, "network");
            assertThat(network.data().get("counts").get("FINISHED").asLong()).isEqualTo(1);
            assertThat(take(events, "tasks").data().get("rows").get(0).get(0).asLong()).isEqualTo(before.id());

            Task after = finishOne(2);
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("nothing is sent before the refresh").isNull();
            scheduler.advance(REFRESH);

            assertThat(take(events, "network").data().get("counts").get("FINISHED").asLong()).isEqualTo(2);
            List<Long> ids = new ArrayList<>();
            take(events, "tasks").data().get("rows").forEach(row -> ids.add(row.get(0).asLong()));
            assertThat(ids).as("only what is new").containsExactly(after.id());
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    private static Event take(BlockingQueue<Event> events, String name) throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a '" + name + "' event").isNotNull();
        assertThat(event.name()).isEqualTo(name);
        return event;
    }

    @Test
    void pages_andAssets_areServedFromTheClassPath() throws Exception {
        for (String page : List.of("", "networks/" + URLEncoder.encode(NAME, StandardCharsets.UTF_8))) {
            HttpResponse<String> response = request(page);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("<script src=\"/assets/app.js\"");
            assertThat(response.body()).doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(request("assets/uPlot.js").body()).contains("uPlot");
        assertThat(request("assets/app.js").body()).contains("EventSource");
        assertThat(request("assets/nothing.js").statusCode()).isEqualTo(404);
        assertThat(request("elsewhere").statusCode()).isEqualTo(404);
    }
}
