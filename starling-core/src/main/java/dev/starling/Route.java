package dev.starling;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a task may run: on any worker, on one named worker, or on any worker that carries a tag (e.g. {@code chunk=7},
 * or a resource such as {@code gpu}), as workers declare with {@link WorkerOptions.Builder#tags}. A claim honours the
 * route. A routed task waits in the queue until a worker it may run on claims it: when the worker it names is lost,
 * its routed tasks go back to the queue for a replacement with the same tag. Immutable.
 *
 * @param kind   what the route names
 * @param target the worker id or tag; empty for {@link Kind#ANY}
 */
public record Route(Kind kind, String target) {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:=/-]{1,100}");
    private static final Route ANY = new Route(Kind.ANY, "");

    /** What a route names. */
    public enum Kind {
        /** Any worker. */
        ANY,
        /** One worker, by id. */
        WORKER,
        /** Any worker that carries a tag. */
        TAG
    }

    public Route {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (kind == Kind.ANY != target.isEmpty()) {
            throw new IllegalArgumentException(kind == Kind.ANY ? "the route to any worker has no target"
                    : "a route to a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " needs a target");
        }
        if (kind != Kind.ANY) {
            checkName(target, kind == Kind.TAG ? "tag" : "worker id");
        }
    }

    /** Any worker. */
    public static Route any() {
        return ANY;
    }

    /** The worker with id {@code id}. */
    public static Route worker(String id) {
        return new Route(Kind.WORKER, id);
    }

    /** Any worker that carries {@code tag}. */
    public static Route tag(String tag) {
        return new Route(Kind.TAG, tag);
    }

    /**
     * Checks a tag or worker id: 1 to 100 letters, digits or {@code . _ : = / -}.
     *
     * @return {@code name}
     * @throws IllegalArgumentException naming the problem
     */
    public static String checkName(String name, String what) {
        if (name == null || !TAG.matcher(name).matches()) {
            throw new IllegalArgumentException("a " + what + " has 1 to 100 letters, digits or . _ : = / -, was '"
                    + name + "'");
        }
        return name;
    }

    /**
     * The route as the store SPI carries it: empty for any worker, {@code w:ID} for a worker, {@code t:TAG} for a tag.
     */
    public String key() {
        return switch (kind) {
            case ANY -> "";
            case WORKER -> "w:" + target;
            case TAG -> "t:" + target;
        };
    }

    /** The route that {@link #key()} encodes. */
    public static Route ofKey(String key) {
        if (key == null || key.isEmpty()) {
            return ANY;
        }
        if (key.startsWith("w:")) {
            return worker(key.substring(2));
        }
        if (key.startsWith("t:")) {
            return tag(key.substring(2));
        }
        throw new IllegalArgumentException("not a route key: '" + key + "'");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "any worker";
            case WORKER -> "worker " + target;
            case TAG -> "tag " + target;
        };
    }
}
