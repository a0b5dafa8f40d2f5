package dev.starling;

/**
 * Root of every exception Starling throws. Messages name the network, task or worker concerned and,
 * where there is something to do, say what.
 */
public class StarlingException extends RuntimeException {
    public StarlingException(String message) {
        super(message);
    }

    public StarlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
