package dev.nines.ratelimit;

import dev.nines.internal.BuildRecorder;
import dev.nines.internal.Reconfiguration;
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

    /**
     * Checks that a limiter of {@code kind} with {@code count} limits, configured as {@code current},
     * can take {@code next}: the same name, ticker, sink and sleeper, as many limits.
     *
     * @throws IllegalArgumentException naming every refused setting
     */
    static void checkReconfigure(String kind, RateLimiterConfig current, RateLimiterConfig next, int count) {
        Objects.requireNonNull(next, "config");
        Reconfiguration r = Reconfiguration.of(current.wiring(), next.wiring());
        r.check(next.getClass() == RateLimiterConfig.class,
                "config must be a local limiter's RateLimiterConfig but was a " + next.getClass().getSimpleName());
        r.fixed("sleeper", current.configuredSleeper(), next.configuredSleeper());
        r.check(next.limits().size() == count, "limits must hold " + count + " limit" + (count == 1 ? "" : "s")
                + " (a " + kind + " keeps its number of limits) but held " + next.limits().size());
        r.throwIfRefused();
    }

    /** {@code current} with {@code limits} in place of its own: what {@code setLimits} leaves in force. */
    static RateLimiterConfig withLimits(RateLimiterConfig current, List<Rate> limits) {
        return new RateLimiterConfig(current.wiring(), limits, current.configuredSleeper());
    }
}
