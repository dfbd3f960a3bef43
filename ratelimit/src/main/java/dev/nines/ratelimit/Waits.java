package dev.nines.ratelimit;

import dev.nines.internal.BuildRecorder;
import dev.nines.ratelimit.internal.Gcra;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** Argument checks and the at-rest invariants shared by the limiters. Stateless and thread-safe. */
final class Waits {

    private Waits() {
    }

    /** {@code timeout} in nanoseconds, negative as 0, capped at the longest reservation (about 4.5 years). */
    static long clampTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        return timeout.compareTo(Duration.ofNanos(Gcra.MAX_SPAN_NANOS)) >= 0 ? Gcra.MAX_SPAN_NANOS : timeout.toNanos();
    }

    /**
     * Records a limiter built now with its invariants at rest: no acquire still asleep waiting for
     * its reserved permits, and no reconfiguration holding the lock.
     */
    static void record(String kind, String name, AtomicInteger sleeping, ReentrantLock reconfiguring) {
        BuildRecorder.record(kind, name, violations -> {
            int n = sleeping.get();
            if (n != 0) {
                violations.accept("no acquire may still wait for its permits at rest but " + n + " did");
            }
            if (reconfiguring.isLocked()) {
                violations.accept("the reconfiguration lock must be free at rest but was held");
            }
        });
    }

    /** Fails unless {@code limits} holds {@code expected} non-null limits. */
    static void checkCount(List<Rate> limits, int expected) {
        Objects.requireNonNull(limits, "limits");
        if (limits.size() != expected) {
            throw new IllegalArgumentException("limits must hold " + expected + " limit" + (expected == 1 ? "" : "s")
                    + " (as built) but held " + limits.size());
        }
        for (int i = 0; i < limits.size(); i++) {
            Objects.requireNonNull(limits.get(i), "limits[" + i + "]");
        }
    }
}
