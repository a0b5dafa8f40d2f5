package dev.starling.internal;

import dev.starling.StarlingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Creates the user classes a worker process is told of by name (worker loops, objectives): code is never shipped
 * through the store, so each is a class on the worker's class path with a public no-argument constructor. Stateless.
 */
public final class Classes {
    private Classes() {
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
