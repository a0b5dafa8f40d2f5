package dev.starling.tune;

import dev.starling.StarlingException;

/** A learner's native library refused a configuration or failed to train; the evaluation fails with it. */
public final class LearnerException extends StarlingException {
    /** An exception with {@code message}, naming the learner and what it said. */
    public LearnerException(String message) {
        super(message);
    }

    /** An exception with {@code message} and its {@code cause}. */
    public LearnerException(String message, Throwable cause) {
        super(message, cause);
    }
}
