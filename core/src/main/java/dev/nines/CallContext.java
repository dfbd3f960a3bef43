package dev.nines;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a call carries through a {@link Pipeline}: its deadline, attempt number, priority, client
 * key and cancellation flag.
 *
 * <p>Immutable and thread-safe: the {@code with…} methods return a copy; only the
 * {@link Cancellation} a context carries changes, once, from active to cancelled. User code reads the context through a
 * {@link Call}, for example to pass the remaining time to a downstream service:
 *
 * <pre>{@code
 * pipeline.call(CallContext.empty().withDeadline(Duration.ofSeconds(2), ticker),
 *               ctx -> client.get(url, ctx.remaining().orElse(DEFAULT_TIMEOUT)));
 * }</pre>
 *
 * <p>{@link #empty()} is a shared constant, so a call without a deadline, priority or key costs no
 * allocation.
 */
public final class CallContext {

    /** The longest timeout a deadline is set from; longer ones are this (2^62 ns, about 146 years). */
    private static final long MAX_TIMEOUT_NANOS = 1L << 62;

    /** Sentinel for "no deadline". */
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final CallContext EMPTY = new CallContext(null, NO_DEADLINE, 1, null, null, null);

    private final Ticker ticker;
    private final long deadlineNanos;
    private final int attempt;
    private final Priority priority;
    private final String key;
    private final Cancellation cancellation;

    private CallContext(Ticker ticker, long deadlineNanos, int attempt, Priority priority, String key,
            Cancellation cancellation) {
        this.ticker = ticker;
        this.deadlineNanos = deadlineNanos;
        this.attempt = attempt;
        this.priority = priority;
        this.key = key;
        this.cancellation = cancellation;
    }

    /** The context with no deadline, first attempt, no priority, no key and no cancellation. */
    public static CallContext empty() {
        return EMPTY;
    }

    /**
     * Returns a copy whose deadline is {@code timeout} from now on {@code ticker}. If this context
     * already has a deadline that comes no later, it is kept: a deadline only ever shrinks. A
     * deadline on another ticker is compared by the time it has left, which reads that ticker too.
     * The deadline is a ticker reading that may wrap past {@link Long#MAX_VALUE}; it is only ever
     * compared as a difference. A timeout beyond about 146 years counts as 146 years.
     */
    public CallContext withDeadline(Duration timeout, Ticker ticker) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ticker, "ticker");
        long timeoutNanos = boundedNanos(timeout);
        long now = ticker.read();
        long candidate = now + timeoutNanos; // may wrap: a deadline is only ever compared as a difference
        if (hasDeadline()) {
            boolean sooner = this.ticker == ticker ? deadlineNanos - candidate <= 0 : remainingNanos() <= timeoutNanos;
            if (sooner) {
                return this;
            }
        }
        return new CallContext(ticker, candidate, attempt, priority, key, cancellation);
    }

    /** Returns a copy with the given attempt number (1 for the first attempt). */
    public CallContext withAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
        }
        return attempt == this.attempt ? this
                : new CallContext(ticker, deadlineNanos, attempt, priority, key, cancellation);
    }

    /** Returns a copy with the given priority. */
    public CallContext withPriority(Priority priority) {
        Objects.requireNonNull(priority, "priority");
        return priority == this.priority ? this
                : new CallContext(ticker, deadlineNanos, attempt, priority, key, cancellation);
    }

    /** Returns a copy with the given client key (the per-client rate limit and metrics use it). */
    public CallContext withKey(String key) {
        Objects.requireNonNull(key, "key");
        return new CallContext(ticker, deadlineNanos, attempt, priority, key, cancellation);
    }

    /** Returns a copy that reports the given flag through {@link #isCancelled()}. */
    public CallContext withCancellation(Cancellation cancellation) {
        Objects.requireNonNull(cancellation, "cancellation");
        return new CallContext(ticker, deadlineNanos, attempt, priority, key, cancellation);
    }

    /** Whether the call has a deadline. */
    public boolean hasDeadline() {
        return ticker != null;
    }

    /**
     * Nanoseconds left before the deadline, read from the deadline's ticker; zero or negative once
     * it has passed, {@link Long#MAX_VALUE} when there is no deadline.
     */
    public long remainingNanos() {
        return ticker == null ? Long.MAX_VALUE : remainingNanos(ticker.read());
    }

    /**
     * Nanoseconds left before the deadline given a reading {@code now} already taken from the
     * deadline's ticker, so a policy reads the clock once per decision.
     */
    public long remainingNanos(long now) {
        return ticker == null ? Long.MAX_VALUE : deadlineNanos - now;
    }

    /** Time left before the deadline (never negative), or empty when there is no deadline. */
    public Optional<Duration> remaining() {
        return ticker == null ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0L, remainingNanos())));
    }

    /** Whether there is a deadline and it has passed. */
    public boolean isExpired() {
        return ticker != null && remainingNanos() <= 0;
    }

    /** The ticker the deadline is measured on, or {@code null} when there is no deadline. */
    public Ticker deadlineTicker() {
        return ticker;
    }

    /** The deadline as a reading of {@link #deadlineTicker()}, or {@link Long#MAX_VALUE} when none. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** The attempt number, starting at 1. Retries raise it. */
    public int attempt() {
        return attempt;
    }

    /** The call's priority, if one was set. */
    public Optional<Priority> priority() {
        return Optional.ofNullable(priority);
    }

    /** The call's priority, or {@code fallback} when none was set. Allocation-free. */
    public Priority priorityOr(Priority fallback) {
        return priority != null ? priority : fallback;
    }

    /** The client key, if one was set. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** The client key, or {@code fallback} when none was set. Allocation-free. */
    public String keyOr(String fallback) {
        return key != null ? key : fallback;
    }

    /** Whether a policy (typically a timeout) gave up on this call; long work should stop early. */
    public boolean isCancelled() {
        return cancellation != null && cancellation.isCancelled();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CallContext[attempt=").append(attempt);
        if (ticker != null) {
            sb.append(", remaining=").append(Duration.ofNanos(remainingNanos()));
        }
        if (priority != null) {
            sb.append(", priority=").append(priority);
        }
        if (key != null) {
            sb.append(", key=").append(key);
        }
        if (isCancelled()) {
            sb.append(", cancelled");
        }
        return sb.append(']').toString();
    }

    /**
     * {@code d} in nanoseconds, held within ±{@value #MAX_TIMEOUT_NANOS} (about 146 years), so that
     * two deadlines set near the same reading always differ by less than {@code 2^63} and compare
     * correctly as a difference, even across the ticker's wrap.
     */
    private static long boundedNanos(Duration d) {
        long n;
        try {
            n = d.toNanos();
        } catch (ArithmeticException overflow) {
            n = d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return Math.max(-MAX_TIMEOUT_NANOS, Math.min(MAX_TIMEOUT_NANOS, n));
    }
}
