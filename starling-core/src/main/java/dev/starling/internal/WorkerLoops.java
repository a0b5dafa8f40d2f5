package dev.starling.internal;

import dev.starling.StarlingException;
import dev.starling.WorkerLoop;
import java.lang.reflect.InvocationTargetException;

/** Instantiates a worker loop named on a command line. */
public final class WorkerLoops {
    private WorkerLoops() {
    }

    /**
     * Loads {@code className} from the class path and creates it with its public no-arg constructor.
     *
     * @throws StarlingException saying what is wrong with the class and what to do
     */
    public static WorkerLoop instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StarlingException("worker loop class '" + className + "' is not on this worker's class path;"
                    + " check the name and put the jar that holds it on the class path (code is never shipped"
                    + " through the store)", e);
        }
        if (!WorkerLoop.class.isAssignableFrom(type)) {
            throw new StarlingException("class '" + className + "' is not a worker loop; it must implement"
                    + " dev.starling.QueueLoop or dev.starling.FreeLoop");
        }
        try {
            return (WorkerLoop) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new StarlingException("worker loop class '" + className + "' needs a public no-argument"
                    + " constructor (and must be a public, non-inner class)", e);
        } catch (InvocationTargetException | InstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StarlingException("creating worker loop '" + className + "' failed: " + cause, cause);
        }
    }
}
