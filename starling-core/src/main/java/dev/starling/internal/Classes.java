package dev.starling.internal;

import dev.starling.StarlingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Creates the user classes a worker process is told of by name (worker loops, objectives): code is never shipped
 * through the store, so each is a class on the worker's class path with a public no-argument constructor. Stateless.
 */
public final class Classes {
    /**
     * The environment variable through which a controller tells the worker processes it starts what they may run of
     * what a network's definition in the store names: comma-separated class-name prefixes, and {@code commands} for
     * command objectives. Starling's own classes ({@code dev.starling.}) are always accepted.
     */
    public static final String ACCEPT_VARIABLE = "STARLING_ACCEPT";
    private static final String OWN = "dev.starling.";

    /** What this JVM accepts, or null for everything (a JVM that defines the networks it serves). */
    private static volatile Set<String> accepted;

    private Classes() {
    }

    /**
     * From now on, run of what the store names only Starling's own classes and what {@code entries} accept
     * (class-name prefixes, and {@code commands}). Worker processes call this at start; a JVM that never does
     * accepts everything, since it defined the networks it serves.
     */
    public static void acceptOnly(Collection<String> entries) {
        Set<String> kept = new LinkedHashSet<>();
        for (String e : entries) {
            if (!e.isBlank()) {
                kept.add(e.strip());
            }
        }
        accepted = Collections.unmodifiableSet(kept);
    }

    /**
     * Checks that a class a network's definition in the store names may be loaded here: a hostile definition must
     * not make a worker load an arbitrary class from its class path.
     *
     * @throws StarlingException naming the class and how to accept it
     */
    public static void checkNamedByStore(String className, String what) {
        Set<String> ok = accepted;
        if (ok == null || className.startsWith(OWN) || ok.stream().anyMatch(className::startsWith)) {
            return;
        }
        throw new StarlingException(what + " class '" + className + "' is named by the network's definition in the"
                + " store, and this worker runs only Starling's own classes" + (ok.isEmpty() ? "" : " and those under "
                + ok) + "; if the class is yours, start the worker with --accept " + className + " (or a package"
                + " prefix of it), or let its controller start it (controller.acceptInProcesses)");
    }

    /**
     * Checks that a command a network's definition in the store names may be run here: without {@code commands}
     * accepted, anyone who can write a network's definition could run commands on its workers.
     *
     * @throws StarlingException naming the command and how to accept commands
     */
    public static void checkCommandNamedByStore(String command) {
        Set<String> ok = accepted;
        if (ok == null || ok.contains("commands")) {
            return;
        }
        String shown = command.length() > 80 ? command.substring(0, 80) + "…" : command;
        throw new StarlingException("the network's definition in the store asks this worker to run the command '"
                + shown + "', and it runs commands only when started with --accept commands (a controller that"
                + " starts its own worker processes for a command objective passes it itself)");
    }

    /**
     * Loads {@code className} from the class path and creates it with its public no-argument constructor.
     *
     * @param kind what it must be
     * @param what what it is, for messages, e.g. "worker loop"
     * @throws StarlingException saying what is wrong with the class and what to do
     */
    public static <T> T instantiate(String className, Class<T> kind, String what) {
        return instantiate(className, kind, what, null);
    }

    /**
     * Loads {@code className} and creates it: with its public no-argument constructor when {@code settings} is null,
     * otherwise (unless it is JSON null) with its public constructor of one parameter, bound from {@code settings} (JSON, typically a record).
     *
     * @throws StarlingException saying what is wrong with the class or the settings and what to do
     */
    public static <T> T instantiate(String className, Class<T> kind, String what,
                                    JsonNode settings) {
        Class<?> type = load(className, kind, what);
        try {
            if (settings == null || settings.isNull()) {
                return kind.cast(type.getConstructor().newInstance());
            }
            Constructor<?> one = Arrays.stream(type.getConstructors())
                    .filter(c -> c.getParameterCount() == 1).findFirst()
                    .orElseThrow(() -> new StarlingException(what + " class '" + className + "' was given settings"
                            + " but has no public constructor of one parameter to take them"));
            Object value = Json.bindTree(settings, one.getParameterTypes()[0], "settings of " + what + " '"
                    + className + "'");
            return kind.cast(one.newInstance(value));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new StarlingException(what + " class '" + className + "' needs a public no-argument"
                    + " constructor (and must be a public, non-inner class)", e);
        } catch (InvocationTargetException | InstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StarlingException("creating " + what + " '" + className + "' failed: " + cause, cause);
        }
    }

    private static Class<?> load(String className, Class<?> kind, String what) {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StarlingException(what + " class '" + className + "' is not on this worker's class path;"
                    + " check the name and put the jar that holds it on the class path (code is never shipped"
                    + " through the store)", e);
        }
        if (!kind.isAssignableFrom(type)) {
            throw new StarlingException("class '" + className + "' is not a " + what + "; it must "
                    + (kind.isInterface() ? "implement " : "extend ") + kind.getName());
        }
        return type;
    }
}
