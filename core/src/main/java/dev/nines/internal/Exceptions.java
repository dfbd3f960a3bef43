package dev.nines.internal;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for passing failures through unchanged. Not part of the public API. */
public final class Exceptions {

    private Exceptions() {
    }

    /**
     * Throws {@code t} as it is when it is an {@link Exception} or an {@link Error}. Declared to
     * return an exception so callers can write {@code throw Exceptions.rethrow(t)}.
     */
    public static Exception rethrow(Throwable t) throws Exception {
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new UndeclaredThrowableException(t);
    }

    /** The failure a stage or future wrapped, as the work threw it. */
    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
