package dev.nines.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * A window over the last {@code size} calls.
 *
 * <p>A ring of slots, each holding the packed delta of one call (0 while empty). Recording takes
 * the next slot index with one {@code getAndIncrement} on a cursor, swaps the slot's content, and
 * adds {@code new - old} to the aggregate with one {@code getAndAdd}. When the slot already holds
 * the same outcome (the steady state of a healthy dependency: a success replacing a success)
 * nothing but the cursor is written, and {@link #record} returns {@code 0} (nothing to judge);
 * otherwise it returns the aggregate its own {@code getAndAdd} produced. Two threads reach the
 * same slot only when the ring wraps while the first is between its cursor step and its swap; the
 * swaps then serialize on the slot, and the aggregate receives both deltas, so it still equals the
 * sum of the slots.
 *
 * <p>Thread-safe, lock-free, allocation-free after construction.
 */
public final class CountWindow implements Window {

    private final int size;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicLongArray slots;
    private final AtomicLong total = new AtomicLong();

    /** @param size the number of calls remembered, 1 to {@link WindowCounts#MAX} */
    public CountWindow(int size) {
        if (size < 1 || size > WindowCounts.MAX) {
            throw new IllegalArgumentException("size must be in [1, " + WindowCounts.MAX + "] but was " + size);
        }
        this.size = size;
        this.slots = new AtomicLongArray(size);
    }

    @Override
    public boolean needsTime() {
        return false;
    }

    @Override
    public long record(long delta, long nowNanos) {
        int i = (int) (cursor.getAndIncrement() % size);
        if (slots.get(i) == delta) {
            return 0; // same outcome replaces same outcome: the aggregate does not change
        }
        long old = slots.getAndSet(i, delta);
        if (old == delta) {
            return 0;
        }
        long change = delta - old;
        return total.getAndAdd(change) + change;
    }

    @Override
    public long aggregate(long nowNanos) {
        return total.get();
    }

    @Override
    public void checkConsistent(Consumer<String> violations) {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += slots.get(i);
        }
        long total = this.total.get();
        Window.checkCounts("count window", total, sum, violations);
        if (WindowCounts.calls(total) > size) {
            violations.accept("count window must hold at most " + size + " calls but held " + WindowCounts.calls(total));
        }
    }

    @Override
    public String toString() {
        return "CountWindow[size=" + size + "]";
    }
}
