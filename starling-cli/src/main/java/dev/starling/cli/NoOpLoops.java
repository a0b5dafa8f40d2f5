package dev.starling.cli;

import dev.starling.FreeLoop;
import dev.starling.QueueLoop;
import dev.starling.TaskContext;
import dev.starling.WorkerContext;
import dev.starling.futures.Functions;
import dev.starling.futures.TaskFunction;
import java.util.Map;

/** Loops that do nothing, for measuring coordination cost; public so worker processes can run them by name. */
public final class NoOpLoops {
    private NoOpLoops() {
    }

    /** Handles every queued task with empty outputs. */
    public static final class Queue implements QueueLoop {
        @Override
        public Object handle(TaskContext task) {
            return null;
        }
    }

    /** Creates empty tasks and finishes them with empty outputs. */
    public static final class Free implements FreeLoop {
        @Override
        public Object propose(WorkerContext worker) {
            return Map.of();
        }

        @Override
        public Object evaluate(TaskContext task) {
            return null;
        }
    }

    /** A function that returns its input, for measuring the cost of futures. */
    public static final TaskFunction<Integer, Integer> IDENTITY = TaskFunction.of("identity", Integer.class,
            Integer.class);

    /** Binds {@link #IDENTITY}; public so that worker processes can run it by name. */
    public static final class Identity extends Functions {
        /** The functions. */
        public Identity() {
            super(builder().add(IDENTITY, (x, task) -> x));
        }
    }
}
