package dev.nines.annotation;

/**
 * Thrown by a {@link NinesProxy} method that does not declare {@link InterruptedException} when its
 * caller was interrupted while a policy waited (a timeout waiting for the work, a bulkhead waiting
 * for a permit, a retry's backoff ended early). The caller's interrupt status is set, as after any
 * interrupted wait in nines, and the {@link #getCause() cause} is the {@link InterruptedException}.
 * A method that declares {@link InterruptedException} (or a supertype of it) gets that instead.
 *
 * <p>Not a {@link dev.nines.RejectedCallException}: no policy refused the call, its caller gave up.
 */
public final class InterruptedCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** For the call to {@code method}, ended by {@code cause}. */
    public InterruptedCallException(String method, InterruptedException cause) {
        super("interrupted while calling " + method + "; the thread's interrupt status is set", cause);
    }
}
