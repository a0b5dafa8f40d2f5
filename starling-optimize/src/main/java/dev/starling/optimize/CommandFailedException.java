package dev.starling.optimize;

import dev.starling.StarlingException;

/** An external-command objective failed: non-zero exit, timeout or unreadable output. Carries the stderr tail. */
public class CommandFailedException extends StarlingException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public CommandFailedException(String message) {
        super(message);
    }
}
