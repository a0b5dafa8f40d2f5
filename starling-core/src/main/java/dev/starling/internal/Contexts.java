package dev.starling.internal;

import dev.starling.Archive;
import dev.starling.Network;
import dev.starling.NetworkSettings;
import dev.starling.PayloadException;
import dev.starling.StarlingException;
import dev.starling.Task;
import dev.starling.TaskContext;
import dev.starling.WorkerContext;
import dev.starling.WorkerLog;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The contexts handed to user code. Each is confined to one worker thread. */
final class Contexts {
    private Contexts() {
    }

    static final class Worker implements WorkerContext {
        private final String id;
        private final int ordinal;
        private final Set<String> tags;
        private final NetworkSettings settings;
        private final RandomGenerator random;
        private final WorkerLog log;
        private final Network network;
        private Archive archive;
        /** Confined to the worker's thread, as the context is. */
        private final Map<String, Object> locals = new HashMap<>();

        Worker(String id, int ordinal, Set<String> tags, NetworkSettings settings, long seed, WorkerLog log,
               Network network) {
            this.id = id;
            this.tags = tags;
            this.ordinal = ordinal;
            this.settings = settings;
            this.random = new SplittableRandom(seed);
            this.log = log;
            this.network = network;
        }

        @Override
        public String workerId() {
            return id;
        }

        @Override
        public int ordinal() {
            return ordinal;
        }

        @Override
        public Set<String> tags() {
            return tags;
        }

        @Override
        public NetworkSettings settings() {
            return settings;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public WorkerLog log() {
            return log;
        }

        @Override
        public Network network() {
            return network;
        }

        @Override
        public Archive archive() {
            if (archive == null) {
                archive = network.archive();
            }
            return archive;
        }

        /** Closes the worker's archive, if it opened one: a stopped worker no longer holds back a store's drops. */
        void close() {
            if (archive != null) {
                archive.close();
            }
        }

        @Override
        public <T> T local(String name, Function<? super WorkerContext, ? extends T> build) {
            Object value = locals.get(name);
            if (value == null) {
                value = Objects.requireNonNull(build.apply(this), "worker-local data '" + name + "' was built as null");
                locals.put(name, value);
            }
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            return typed;
        }

        @Override
        public <T> T scattered(String name, Class<T> type) {
            return type.cast(local(Scatter.attribute(name), w -> Json.bindValue(network.attribute(Scatter.attribute(name))
                    .orElseThrow(() -> new StarlingException("nothing was scattered under '" + name + "' in network '"
                            + network.name() + "'; scatter it with futures.scatter(\"" + name + "\", value) first")),
                    type, "scattered value '" + name + "'")));
        }
    }

    static final class OfTask implements TaskContext {
        private final Task task;
        private final WorkerContext worker;
        private RandomGenerator random;
        private boolean unreadableInputs;

        OfTask(Task task, WorkerContext worker) {
            this.task = task;
            this.worker = worker;
        }

        @Override
        public Task task() {
            return task;
        }

        @Override
        public Map<String, Object> xs() {
            try {
                return task.xs();
            } catch (PayloadException e) {
                unreadableInputs = true;
                throw e;
            }
        }

        @Override
        public <T> T xs(Class<T> type) {
            try {
                return task.xs(type);
            } catch (PayloadException e) {
                unreadableInputs = true;
                throw e;
            }
        }

        @Override
        public RandomGenerator random() {
            if (random == null) {
                random = new SplittableRandom(task.seed());
            }
            return random;
        }

        @Override
        public WorkerContext worker() {
            return worker;
        }

        /** Whether user code failed to read the inputs, so a failure is the input's fault. */
        boolean unreadableInputs() {
            return unreadableInputs;
        }
    }
}
