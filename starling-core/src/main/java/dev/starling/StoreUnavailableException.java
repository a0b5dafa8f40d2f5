package dev.starling;

/**
 * Thrown when the store cannot be reached (a server down, restarting, paused, or a dropped connection that did not
 * come back within the store's own retries). Workers ride out such outages up to their
 * {@link WorkerOptions#outageLimit() outage limit}; other callers may retry later.
 */
public class StoreUnavailableException extends StarlingException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
