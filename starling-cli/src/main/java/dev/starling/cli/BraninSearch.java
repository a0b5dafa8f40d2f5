package dev.starling.cli;

import dev.starling.FreeLoop;
import dev.starling.TaskContext;
import dev.starling.WorkerContext;

/**
 * Random search on the Branin function as a free loop: propose a uniform point in x1 ∈ [-5, 10], x2 ∈ [0, 15],
 * evaluate it. Public with a no-arg constructor, so worker processes can run it by name. Thread-safe (stateless).
 */
public final class BraninSearch implements FreeLoop {
    /** The global minimum of the Branin function. */
    public static final double MINIMUM = 0.397887;

    /** A point. */
    public record Point(double x1, double x2) {
    }

    /** An evaluation's outcome. */
    public record Value(double y) {
    }

    /** The Branin function. */
    public static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    @Override
    public Object propose(WorkerContext worker) {
        return new Point(worker.random().nextDouble(-5, 10), worker.random().nextDouble(0, 15));
    }

    @Override
    public Object evaluate(TaskContext task) {
        Point p = task.xs(Point.class);
        return new Value(branin(p.x1(), p.x2()));
    }
}
