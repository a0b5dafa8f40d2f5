package dev.starling;

import dev.starling.internal.SessionRuntime;
import dev.starling.internal.WorkerRuntime;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named group of workers (and optionally a controller) sharing one namespace in a store; the front door to
 * everything Starling does. {@link #open} joins a network or creates it with default settings,
 * {@link #builder} creates one afresh with chosen settings. Workers start with {@link #startWorker} (a virtual
 * thread) or {@link #runWorker} (the calling thread); a {@link #controller()} pushes tasks, waits, fetches results
 * and manages the workers it started. Thread-safe.
 *
 * <pre>{@code
 * try (Store store = Store.memory();
 *      Controller controller = Network.builder(store, "squares").seed(42).create().controller()) {
 *     controller.startWorkers(4, task -> Map.of("y", Math.pow((double) task.xs().get("x"), 2)));
 *     controller.push(List.of(Map.of("x", 1.0), Map.of("x", 2.0)));
 *     controller.awaitAll(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class Network {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Store store;
    private final NetworkStore state;
    private final NetworkSettings settings;

    private Network(Store store, NetworkStore state, NetworkSettings settings) {
        this.store = store;
        this.state = state;
        this.settings = settings;
    }

    /** Joins the network {@code name} in {@code store}, creating it with default settings if it does not exist. */
    public static Network open(Store store, String name) {
        NetworkStore state = state(store, name);
        return new Network(store, state, state.createIfAbsent(NetworkSettings.defaults()));
    }

    /**
     * Joins the existing network {@code name}, as a worker process does.
     *
     * @throws StarlingException when the network does not exist in the store
     */
    public static Network join(Store store, String name) {
        NetworkStore state = state(store, name);
        NetworkSettings settings = state.settings().orElseThrow(() -> new StarlingException("network '" + name
                + "' does not exist in " + store + "; create it first (e.g. from the controller)"));
        return new Network(store, state, settings);
    }

    /** A builder for a new network; {@link Builder#create()} replaces any network of that name. */
    public static Builder builder(Store store, String name) {
        return new Builder(store, name);
    }

    private static NetworkStore state(Store store, String name) {
        Objects.requireNonNull(store, "store");
        if (name == null || !NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() <= 60 ? "'" + name + "'"
                    : "'" + name.substring(0, 40) + "…' (" + name.length() + " characters)";
            throw new IllegalArgumentException("network name must be 1-128 letters, digits, '.', '_', ':' or '-',"
                    + " starting with a letter or digit; was " + shown);
        }
        return StoreBackend.of(store).network(name);
    }

    /** The network's name. */
    public String name() {
        return state.name();
    }

    /** The settings the network was created with. */
    public NetworkSettings settings() {
        return settings;
    }

    /** The store the network lives in. */
    public Store store() {
        return store;
    }

    /** A new controller for this network. Close it to stop the workers it started. */
    public Controller controller() {
        return new Controller(this);
    }

    /** Starts a worker on a new virtual thread in this JVM. */
    public Worker startWorker(WorkerLoop loop, WorkerOptions options) {
        return runtime(loop, options).start();
    }

    /** Runs a worker in the calling thread until it stops (budget used up, terminated, killed or lost). */
    public void runWorker(WorkerLoop loop, WorkerOptions options) {
        runtime(loop, options).run();
    }

    /**
     * Opens a worker session: a worker registered in this network whose loop the caller drives (ask / tell). Close
     * it when done.
     */
    public WorkerSession openSession(WorkerOptions options) {
        return new SessionRuntime(state, Objects.requireNonNull(options, "options"), store.scheduler(),
                store.location());
    }

    private WorkerRuntime runtime(WorkerLoop loop, WorkerOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        return new WorkerRuntime(state, settings, store.scheduler(), loop, options, this);
    }

    /** A new, empty local archive of this network's completed tasks; fill it with {@link Archive#update()}. */
    public Archive archive() {
        return new Archive(state.tasks());
    }

    /** How many tasks are in each state. */
    public TaskCounts counts() {
        return state.tasks().counts();
    }

    /** The tasks in {@code taskState}: QUEUED in queue order, RUNNING by id, terminal ones in completion order. */
    public List<Task> tasks(TaskState taskState) {
        return state.tasks().fetch(Objects.requireNonNull(taskState, "taskState"));
    }

    /**
     * Up to {@code limit} tasks that completed (FINISHED, FAILED or CANCELLED) after {@code cursor}, in completion
     * order, and the cursor to read on from: start at 0, pass each page's cursor to the next call, and read only what
     * is new. One round trip on Redis.
     */
    public TaskPage completedSince(long cursor, int limit) {
        if (cursor < 0 || limit < 1) {
            throw new IllegalArgumentException("cursor must be >= 0 and limit >= 1, were " + cursor + " and " + limit);
        }
        return state.tasks().completedSince(cursor, limit);
    }

    /**
     * Appends metric points to the network's metrics, in one round trip: an algorithm's loss, residuals or staleness
     * over time, which the dashboard plots live. {@link MetricRecorder} batches them for a loop that measures often.
     */
    public void recordMetrics(List<MetricPoint> points) {
        state.metrics().append(List.copyOf(points));
    }

    /** Up to {@code limit} of the network's metric points from position {@code from} (0 is the first), oldest first. */
    public List<MetricPoint> metrics(long from, int limit) {
        if (from < 0 || limit < 1) {
            throw new IllegalArgumentException("from must be >= 0 and limit >= 1, were " + from + " and " + limit);
        }
        return state.metrics().read(from, limit);
    }

    /**
     * Asks every running worker of the network, in any process, to stop: {@link StopRequest#TERMINATE} finishes the
     * current task first, {@link StopRequest#KILL} abandons it (it is recovered and run again). Returns at once.
     *
     * @return how many workers were asked
     */
    public int requestStop(StopRequest request) {
        Objects.requireNonNull(request, "request");
        int asked = 0;
        for (WorkerInfo worker : state.workers().list()) {
            if (worker.state() == WorkerState.RUNNING) {
                state.workers().requestStop(worker.id(), request);
                asked++;
            }
        }
        return asked;
    }

    /**
     * Cancels every task that is QUEUED now, in one batch: they never run. Tasks queued after the call are not
     * affected.
     *
     * @return how many were cancelled
     */
    public int cancelQueued() {
        List<Long> queued = tasks(TaskState.QUEUED).stream().map(Task::id).toList();
        return queued.isEmpty() ? 0 : state.tasks().cancel(queued).size();
    }

    /**
     * Changes the most tasks the network will ever create (see {@link Builder#budget}), for every worker at once; for
     * instance to continue a finished run with more evaluations. A budget below the tasks already created stops
     * creation.
     */
    public void setBudget(long budget) {
        state.setBudget(budget);
    }

    /**
     * The network attribute {@code name}, or empty. Attributes are small documents kept beside the network so that
     * every worker, in any process, reads the same; an optimization keeps its search space there, for instance.
     */
    public Optional<String> attribute(String name) {
        return state.attribute(Objects.requireNonNull(name, "name"));
    }

    /** Sets the network attribute {@code name}; {@link #reset()} and {@link Builder#create()} clear attributes. */
    public void setAttribute(String name, String value) {
        state.setAttribute(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    /** Every registered worker of the network, by order of registration; reading changes nothing. */
    public List<WorkerInfo> workers() {
        return state.workers().list();
    }

    /** The log events of worker {@code workerId}, oldest first; empty for a worker the network does not know. */
    public List<LogEvent> log(String workerId) {
        return state.events().read(Objects.requireNonNull(workerId, "workerId"));
    }

    /**
     * Deletes the network from its store: its settings, tasks, workers, events and attributes. Workers still running
     * fail on their next call to the store, which says the network does not exist.
     */
    public void delete() {
        state.delete();
    }

    /** Deletes every task, worker, event and attribute of the network and starts it afresh with the same settings. */
    public void reset() {
        state.create(settings);
    }

    /** The network's shared state, for the controller and for tools such as benchmarks. */
    NetworkStore state() {
        return state;
    }

    @Override
    public String toString() {
        return "network '" + name() + "' in " + store;
    }

    /** Builds a network. Not thread-safe. */
    public static final class Builder {
        private final Store store;
        private final String name;
        private long seed = NetworkSettings.defaults().seed();
        private long budget = NetworkSettings.UNLIMITED;
        private int maxAttempts = NetworkSettings.defaults().maxAttempts();

        private Builder(Store store, String name) {
            this.store = store;
            this.name = name;
        }

        /** The network seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The most tasks the network will ever create (default: no limit). */
        public Builder budget(long budget) {
            this.budget = budget;
            return this;
        }

        /** How often a task may be started before a lost worker fails it (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Creates the network, deleting whatever a network of this name held before. */
        public Network create() {
            NetworkSettings settings = new NetworkSettings(seed, budget, maxAttempts);
            NetworkStore state = state(store, name);
            state.create(settings);
            return new Network(store, state, settings);
        }
    }
}
