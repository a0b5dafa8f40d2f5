package dev.starling.futures;

import dev.starling.Route;
import dev.starling.StarlingException;
import java.time.Duration;

/**
 * A routed task was given up: no RUNNING worker could take its route for as long as
 * {@link Futures#failUnservedRoutesAfter} allows, so its task was cancelled in the store. Immutable.
 */
public final class RouteUnservedException extends StarlingException {
    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final transient Route route;

    RouteUnservedException(long taskId, Route route, Duration waited) {
        super("task " + taskId + " is routed to " + route + ", which no running worker served for " + waited
                + "; the task was cancelled. Start a worker " + (route.kind() == Route.Kind.TAG
                ? "with --tags " + route.target() : "with that id") + ", or wait longer");
        this.taskId = taskId;
        this.route = route;
    }

    /** The task given up. */
    public long taskId() {
        return taskId;
    }

    /** Its route. */
    public Route route() {
        return route;
    }
}
