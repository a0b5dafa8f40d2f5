package dev.starling.optimize;

import dev.starling.StarlingException;

/** An objective returned no usable value for a declared outcome: missing, not a number, or not finite. */
public class InvalidOutcomeException extends StarlingException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public InvalidOutcomeException(String message) {
        super(message);
    }
}
