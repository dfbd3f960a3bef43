package dev.nines.ratelimit.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ratelimit.Rate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Multi-limit decisions, as {@code MultiLimitRateLimiter} makes them, cut into their steps (read
 * the clock and look; take from limit 0, 1, ...; give back after a refusal at a fresh reading; sleep
 * until a reservation is due, or be interrupted and give back) and interleaved at random between a
 * few callers while a virtual clock moves: the interleavings real threads produce, including a
 * caller that pauses between two takes while others read later times. Every limit must hold on its
 * own: over any span of the times it had them due, the permits it granted never exceed its burst
 * plus its refill. jqwik prints the seed of a failing run.
 */
class MultiLimitInterleavingPropertiesTest {

    /**
     * A step: let {@code advance} ns pass, then let caller {@code who} make its next step for
     * {@code permits}, willing to wait up to {@code maxWait} ns; a sleeping caller is woken if its
     * time has come, or else interrupted if {@code interrupt}.
     */
    record Step(long advance, int who, long permits, long maxWait, boolean interrupt) {
    }

    @Provide
    Arbitrary<List<Rate>> limitPairs() {
        Arbitrary<Rate> limit = Combinators.combine(Arbitraries.longs().between(1, 40), Arbitraries.longs().between(1, 12))
                .as((nanosPerPermit, burst) -> Rate.of(1, Duration.ofNanos(nanosPerPermit), burst));
        return limit.list().ofMinSize(2).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> advance = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, 600));
        Arbitrary<Long> maxWait = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 400));
        return Combinators.combine(advance, Arbitraries.integers().between(0, 3), Arbitraries.longs().between(1, 12),
                maxWait, Arbitraries.of(false, false, true)).as(Step::new).list().ofMinSize(1).ofMaxSize(300);
    }

    /** One caller's decision in progress: its reading, permits, and the states its takes wrote. */
    private static final class Caller {
        boolean busy;
        boolean sleeping;
        long wakeAt; // ns, when sleeping
        long maxWaitU;
        long reading;
        long readingU;
        long permits;
        int taken;
        long[] takenStates;
    }

    @Property(tries = 300)
    void interleavedDecisionsWithGiveBacksNeverGrantMoreThanAnyLimitAllows(@ForAll("limitPairs") List<Rate> limits,
            @ForAll("steps") List<Step> steps) {
        int n = limits.size();
        long start = Long.MAX_VALUE - 5_000; // the clock wraps during the run
        long now = start;
        BucketCell[] cells = new BucketCell[n];
        long smallestBurst = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            cells[i] = BucketCell.full(new LimitSpec(limits.get(i)), Gcra.units(now));
            smallestBurst = Math.min(smallestBurst, limits.get(i).burst());
        }
        Caller[] callers = new Caller[4];
        for (int c = 0; c < callers.length; c++) {
            callers[c] = new Caller();
            callers[c].takenStates = new long[n];
        }
        List<List<long[]>> grants = new ArrayList<>(); // per limit: {ns from the start when it is due, permits}
        for (int i = 0; i < n; i++) {
            grants.add(new ArrayList<>());
        }
        for (Step step : steps) {
            now += step.advance();
            Caller c = callers[step.who()];
            if (c.sleeping) { // woken when due (the permits are used then), or interrupted before
                if (now - c.wakeAt >= 0) {
                    recordGrant(grants, c, start);
                } else if (step.interrupt()) {
                    for (int i = n - 1; i >= 0; i--) {
                        BucketCell.giveBack(cells[i], c.permits, c.takenStates[i], Gcra.units(now));
                    }
                } else {
                    continue;
                }
                c.sleeping = false;
                c.busy = false;
                continue;
            }
            if (!c.busy) { // read the clock and look at every limit: refuse writing nothing
                c.reading = now;
                c.readingU = Gcra.units(now);
                c.permits = Math.min(step.permits(), smallestBurst);
                c.maxWaitU = Gcra.units(step.maxWait());
                long wait = 0;
                for (BucketCell cell : cells) {
                    wait = Math.max(wait, BucketCell.shortfall(cell, c.permits, c.readingU));
                }
                c.busy = wait <= c.maxWaitU;
                c.taken = 0;
                continue;
            }
            long d = BucketCell.take(cells[c.taken], c.permits, c.readingU, c.maxWaitU);
            if (d == BucketCell.REFUSED) { // lost the race: give back at a fresh reading
                for (int i = c.taken - 1; i >= 0; i--) {
                    BucketCell.giveBack(cells[i], c.permits, c.takenStates[i], Gcra.units(now));
                }
                c.busy = false;
                continue;
            }
            c.takenStates[c.taken++] = c.readingU + d;
            if (c.taken == n) {
                long waitU = 0;
                for (int i = 0; i < n; i++) {
                    waitU = Math.max(waitU, c.takenStates[i] - c.readingU);
                }
                if (waitU == 0) {
                    recordGrant(grants, c, start);
                    c.busy = false;
                } else {
                    c.sleeping = true;
                    c.wakeAt = c.reading + Gcra.nanosCeil(waitU);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            assertEveryReadingSpanWithin(cells[i].spec(), grants.get(i), limits);
        }
    }

    /**
     * Records a grant in each limit at the time that limit had the permits due: the decision's
     * reading, or later where that limit made the caller wait. (The caller uses them all at the
     * latest of these; a limit that did not make it wait has handed them out earlier, at a reading
     * that may be older than other callers', so it is checked on its own timeline.)
     */
    private static void recordGrant(List<List<long[]>> grants, Caller c, long start) {
        for (int i = 0; i < grants.size(); i++) {
            long dueU = Math.max(0, c.takenStates[i] - c.readingU);
            grants.get(i).add(new long[] {c.reading + Gcra.nanosCeil(dueU) - start, c.permits}); // relative: survives the wrap
        }
    }

    /**
     * Over every span [a, b] of the times the permits were due: granted × cost <= capSpan +
     * (b - a + 1) × 16, the 1 ns for a wait rounded up to whole nanoseconds.
     */
    private static void assertEveryReadingSpanWithin(LimitSpec spec, List<long[]> grants, List<Rate> limits) {
        List<long[]> sorted = new ArrayList<>(grants);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 0; i < sorted.size(); i++) {
            long sum = 0;
            for (int j = i; j < sorted.size(); j++) {
                sum += sorted.get(j)[1];
                long elapsed = sorted.get(j)[0] - sorted.get(i)[0] + 1;
                assertTrue(sum * spec.cost() <= spec.capSpan() + Gcra.units(elapsed), "granted " + sum
                        + " in " + elapsed + " ns under " + spec.limit() + " of " + limits);
            }
        }
    }
}
