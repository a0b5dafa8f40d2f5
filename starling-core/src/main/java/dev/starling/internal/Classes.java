package dev.starling.internal;

import dev.starling.StarlingException;
import java.lang.reflect.InvocationTargetException;

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
        try {
            return kind.cast(type.getConstructor().newInstance());
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new StarlingException(what + " class '" + className + "' needs a public no-argument"
                    + " constructor (and must be a public, non-inner class)", e);
        } catch (InvocationTargetException | InstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StarlingException("creating " + what + " '" + className + "' failed: " + cause, cause);
        }
    }
}
