package dev.nines.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers a policy's transitions to its listeners and sinks in the order they happened, however
 * many threads cause them, without a lock. Not part of the public API.
 *
 * <p>The policy numbers each transition when its compare-and-set decides it: the state it
 * publishes carries {@code seq}, one more than the state it replaced, so the numbers follow the
 * CAS order exactly. The thread that won the CAS then calls {@link #publish(long, Object)}. A thread
 * that publishes out of turn leaves its event behind and returns at once; whichever thread holds
 * the turn delivers every event it finds in sequence, its own and the ones left behind. No thread
 * ever waits for another: the cost of a transition is a map insertion and an atomic increment, and a
 * deliverer delivers only events that are already published.
 *
 * <p>Every number from {@code 1} up must be published exactly once, also for a transition that
 * tells nobody anything (publish {@link #SKIP} then); a missing number holds back every later event.
 * The consumer should not throw (guard listeners before they reach it); if it does, the rest are
 * still delivered and the first throwable is rethrown to the publisher afterwards. Thread-safe.
 *
 * @param <E> the event type
 */
public final class InOrder<E> {

    /** The event of a numbered transition that has nothing to deliver. */
    public static final Object SKIP = new Object();

    private final ConcurrentHashMap<Long, Object> pending = new ConcurrentHashMap<>();
    private final AtomicInteger turns = new AtomicInteger();
    private final Consumer<E> deliver;
    /** The next number to deliver; read and written only by the thread holding the turn. */
    private long next = 1;

    /** @param deliver called for each event, in sequence, by one thread at a time; must not throw */
    public InOrder(Consumer<E> deliver) {
        this.deliver = deliver;
    }

    /**
     * Publishes the event of transition {@code seq} (from {@code 1}), or {@link #SKIP}; delivers it
     * and every event after it that is already published, unless another thread holds the turn, which
     * then does.
     */
    @SuppressWarnings("unchecked")
    public void publish(long seq, Object event) {
        pending.put(seq, event);
        if (turns.getAndIncrement() != 0) {
            return; // the thread holding the turn sees this event before it gives the turn up
        }
        Throwable thrown = null;
        int missed = 1;
        do {
            Object e;
            while ((e = pending.remove(next)) != null) {
                next++;
                if (e != SKIP) {
                    try {
                        deliver.accept((E) e);
                    } catch (Throwable t) { // an Error from a guard: keep the turn moving, rethrow after
                        thrown = thrown == null ? t : thrown;
                    }
                }
            }
            missed = turns.addAndGet(-missed);
        } while (missed != 0);
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        if (thrown != null) {
            throw thrown instanceof RuntimeException ? (RuntimeException) thrown : new IllegalStateException(thrown);
        }
    }
}
