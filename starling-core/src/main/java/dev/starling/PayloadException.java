package dev.starling;

/**
 * Thrown when task inputs or outputs cannot be encoded to, or decoded from, a JSON object.
 */
public final class PayloadException extends StarlingException {
    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
