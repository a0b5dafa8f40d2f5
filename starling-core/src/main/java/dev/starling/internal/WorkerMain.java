package dev.starling.internal;

import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.StoreUnavailableException;
import dev.starling.Worker;
import dev.starling.WorkerExit;
import dev.starling.WorkerLoop;
import dev.starling.WorkerOptions;
import dev.starling.futures.Functions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The entry point of a worker process started by a controller: joins a network and runs its workers until they stop.
 * Arguments: {@code --store URL --network NAME (--loop CLASS | --functions CLASS) [--workers N] [--heartbeat D]
 * [--task-timeout D] [--poll D] [--outage-limit D] [--tags T1,T2]}, the options of {@code starling worker}. Exit codes: 0 every worker completed or was
 * terminated, 1 failed, 2 bad arguments, {@value #OUTAGE} the store stayed unreachable past the outage limit.
 */
public final class WorkerMain {
    /** The exit code of a worker process whose store stayed unreachable past its outage limit. */
    public static final int OUTAGE = 3;
    /** How a worker process's last words begin in its log. */
    public static final String STOPPED = "starling worker: stopped: ";
    private static final Set<String> OPTIONS = Set.of("--store", "--network", "--loop", "--functions", "--workers",
            "--heartbeat", "--task-timeout", "--poll", "--outage-limit", "--tags", "--accept");

    private WorkerMain() {
    }

    public static void main(String[] args) {
        Map<String, String> options;
        int workers;
        try {
            options = parse(args);
            workers = workers(options);
        } catch (IllegalArgumentException e) {
            System.err.println("starling worker: " + e.getMessage());
            System.err.println("usage: --store URL --network NAME (--loop CLASS | --functions CLASS) [--workers 1]"
                    + " [--heartbeat 1s]"
                    + " [--task-timeout D] [--poll D] [--outage-limit 5m]");
            System.exit(2);
            return;
        }
        accept(options.get("--accept"));
        try {
            System.exit(exitCode(run(options.get("--store"), options.get("--network"),
                    loop(options.get("--loop"), options.get("--functions")), workers, options(options))));
        } catch (StarlingException | IllegalArgumentException e) {
            System.err.println("starling worker: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Makes this worker process run, of what a network's definition in the store names, only Starling's own classes
     * and what {@code flag} (the {@code --accept} option, comma-separated) and the controller's
     * {@value Classes#ACCEPT_VARIABLE} accept; see {@link Classes#acceptOnly}.
     */
    public static void accept(String flag) {
        List<String> entries = new ArrayList<>();
        for (String list : new String[] {flag, System.getenv(Classes.ACCEPT_VARIABLE)}) {
            if (list != null) {
                entries.addAll(List.of(list.split(",")));
            }
        }
        Classes.acceptOnly(entries);
    }

    /**
     * The exit code of a process whose workers ended so, after printing why on standard error when it is not 0:
     * 1 when one failed, {@link #OUTAGE} when one gave up on an unreachable store, else 0.
     */
    public static int exitCode(List<WorkerExit> exits) {
        Optional<WorkerExit> failed = exits.stream().filter(e -> e.cause() == WorkerExit.Cause.FAILED).findFirst();
        Optional<WorkerExit> outage = exits.stream().filter(e -> e.cause() == WorkerExit.Cause.OUTAGE).findFirst();
        Optional<WorkerExit> worst = failed.isPresent() ? failed : outage;
        worst.ifPresent(e -> System.err.println(STOPPED + e.message()));
        return failed.isPresent() ? 1 : outage.isPresent() ? OUTAGE : 0;
    }

    /**
     * Creates the worker loop named by {@code --loop} (a class implementing QueueLoop or FreeLoop) or by
     * {@code --functions} (a subclass of {@link Functions}); exactly one is given.
     *
     * @throws IllegalArgumentException when both or neither are given
     * @throws StarlingException        saying what is wrong with the class
     */
    public static WorkerLoop loop(String loopClass, String functionsClass) {
        if ((loopClass == null) == (functionsClass == null)) {
            throw new IllegalArgumentException("give one of --loop CLASS (a worker loop) or --functions CLASS"
                    + " (a subclass of " + Functions.class.getName() + ")");
        }
        return loopClass != null ? Classes.instantiate(loopClass, WorkerLoop.class, "worker loop")
                : Classes.instantiate(functionsClass, Functions.class, "Functions class");
    }

    /**
     * Opens the store, riding out an outage up to {@code limit} as a running worker does: a worker process started
     * while the store restarts (by a nanny, say) waits for it instead of dying at once.
     */
    private static Store openRidingOut(String location, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long backoffMillis = 100;
        while (true) {
            try {
                return Store.open(location);
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw e;
                }
                System.err.println("starling worker: " + e.getMessage() + "; retrying for up to the outage limit of "
                        + Durations.describe(limit));
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }

    /**
     * Joins the network and runs {@code workers} workers of one loop instance (as threads of one JVM share it) until
     * they all stop; SIGTERM makes them terminate. Several workers per process share the process's start-up cost and
     * its connections to the store.
     *
     * @param storeLocation a store location, or {@code env:NAME} to read it from environment variable NAME (so
     *                      that a password stays off the command line)
     * @return how each worker ended
     * @throws IllegalArgumentException when {@code workers} is less than 1
     */
    public static List<WorkerExit> run(String storeLocation, String networkName, WorkerLoop loop, int workers,
                                       WorkerOptions options) {
        requireWorkers(workers);
        try (Store store = openRidingOut(resolve(storeLocation), options.outageLimit())) {
            Network network = Network.join(store, networkName);
            List<Worker> started = new ArrayList<>(workers);
            try {
                for (int i = 0; i < workers; i++) {
                    started.add(network.startWorker(loop, options));
                }
            } catch (RuntimeException e) {
                // the workers already running would outlive the store this method closes
                started.forEach(Worker::kill);
                throw e;
            }
            Thread onSigterm = new Thread(() -> {
                started.forEach(Worker::terminate);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                try {
                    for (Worker worker : started) {
                        worker.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(onSigterm);
            try {
                for (Worker worker : started) {
                    while (!worker.join(Duration.ofHours(1))) {
                        // a worker may run for days
                    }
                }
            } catch (InterruptedException e) {
                started.forEach(Worker::kill);
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onSigterm);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the worker was terminated by a signal
            }
            return started.stream().map(w -> w.exit().orElse(new WorkerExit(WorkerExit.Cause.KILLED,
                    "worker " + w.id() + " was interrupted"))).toList();
        }
    }

    private static String resolve(String location) {
        if (!location.startsWith("env:")) {
            return location;
        }
        String value = System.getenv(location.substring(4));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--store " + location + ": environment variable "
                    + location.substring(4) + " is not set");
        }
        return value;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (value == null) {
                throw new IllegalArgumentException("option '" + name + "' needs a value");
            }
            options.put(name, value);
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("--store", "--network")) {
            if (!options.containsKey(required)) {
                missing.add(required);
            }
        }
        if (!options.containsKey("--loop") && !options.containsKey("--functions")) {
            missing.add("--loop or --functions");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + String.join(", ", missing));
        }
        return options;
    }

    private static int workers(Map<String, String> options) {
        String value = options.getOrDefault("--workers", "1");
        try {
            return requireWorkers(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--workers must be a whole number, was '" + value + "'");
        }
    }

    /**
     * Checks a number of workers per process.
     *
     * @return {@code workers}
     * @throws IllegalArgumentException when it is less than 1
     */
    public static int requireWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, was " + workers);
        }
        return workers;
    }

    /**
     * The worker options named by {@code --heartbeat}, {@code --task-timeout}, {@code --poll},
     * {@code --outage-limit} and {@code --tags} in {@code options} (absent ones take their defaults), on platform threads: a round trip
     * to the store is cheaper from one than from a virtual thread. The one reading of worker options, for worker
     * processes and for {@code starling worker}.
     *
     * @throws IllegalArgumentException naming the option whose value is wrong
     */
    public static WorkerOptions options(Map<String, String> options) {
        WorkerOptions.Builder builder = WorkerOptions.builder().virtualThread(false);
        duration(options, "--heartbeat").ifPresent(builder::heartbeatPeriod);
        duration(options, "--task-timeout").ifPresent(builder::taskTimeout);
        duration(options, "--poll").ifPresent(builder::pollTimeout);
        duration(options, "--outage-limit").ifPresent(builder::outageLimit);
        String tags = options.get("--tags");
        if (tags != null && !tags.isBlank()) {
            builder.tags(Set.of(tags.split(",")));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("worker options: " + e.getMessage(), e);
        }
    }

    private static Optional<Duration> duration(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The arguments that {@link #main} reads, for {@code workers} workers of {@code loop} with {@code options}. */
    public static List<String> arguments(String storeLocation, String network, String loop, int workers,
                                         WorkerOptions options) {
        List<String> args = new ArrayList<>(List.of("--store", storeLocation, "--network", network, "--loop", loop));
        if (workers != 1) {
            args.addAll(List.of("--workers", Integer.toString(workers)));
        }
        args.addAll(List.of("--heartbeat", Durations.format(options.heartbeatPeriod())));
        if (options.hasTaskTimeout()) {
            args.addAll(List.of("--task-timeout", Durations.format(options.taskTimeout())));
        }
        if (!options.pollTimeout().equals(WorkerOptions.defaults().pollTimeout())) {
            args.addAll(List.of("--poll", Durations.format(options.pollTimeout())));
        }
        if (!options.outageLimit().equals(WorkerOptions.DEFAULT_OUTAGE_LIMIT)) {
            args.addAll(List.of("--outage-limit", Durations.format(options.outageLimit())));
        }
        if (!options.tags().isEmpty()) {
            args.addAll(List.of("--tags", String.join(",", new TreeSet<>(options.tags()))));
        }
        return args;
    }
}
