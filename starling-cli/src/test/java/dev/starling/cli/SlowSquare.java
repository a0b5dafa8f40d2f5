package dev.starling.cli;

import dev.starling.QueueLoop;
import dev.starling.TaskContext;
import java.util.Map;

/** A queue loop for fault tests: squares x after a few milliseconds, and says which process did it. */
public final class SlowSquare implements QueueLoop {
    @Override
    public Object handle(TaskContext task) throws InterruptedException {
        Thread.sleep(5);
        double x = ((Number) task.xs().get("x")).doubleValue();
        return Map.of("y", x * x, "pid", ProcessHandle.current().pid());
    }
}
