package dev.starling.futures;

import dev.starling.StarlingException;

/** Futures were not done within the time a wait allowed; the message says how many and how long. */
public final class FuturesTimeoutException extends StarlingException {
    private static final long serialVersionUID = 1L;

    FuturesTimeoutException(String message) {
        super(message);
    }
}
