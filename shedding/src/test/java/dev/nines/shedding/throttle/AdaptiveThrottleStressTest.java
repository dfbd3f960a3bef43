package dev.nines.shedding.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Outcome;
import dev.nines.testing.Race;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads use one throttle against a backend that accepts a quarter of what it is sent. No
 * count may be lost: afterwards the throttle's probability must be exactly the formula's for every
 * attempt made and every accept reported, and each local rejection must have been reported once.
 * The clock stands still during the race, as a bucket that rolls over may drop a racing count by
 * design (it only blurs the window's edge), so every count here lands in one bucket.
 */
class AdaptiveThrottleStressTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 20_000;

    @Test
    void requestsAcceptsAndRejectionsAreCountedExactlyUnderConcurrentUse() throws Exception {
        ManualTicker ticker = new ManualTicker();
        InMemoryMetrics metrics = new InMemoryMetrics();
        AdaptiveThrottle throttle = AdaptiveThrottle.builder("backend").ticker(ticker).metrics(metrics)
                .window(Duration.ofSeconds(10), 10).build();
        assertTrue(throttle.tryAcquire()); // opens the bucket before the race, so no reset can race it
        throttle.onAccepted();
        LongAdder sent = new LongAdder();
        LongAdder accepted = new LongAdder();
        LongAdder rejectedLocally = new LongAdder();
        Race.run(THREADS, thread -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < ROUNDS; i++) {
                if (!throttle.tryAcquire()) {
                    rejectedLocally.increment();
                    continue;
                }
                sent.increment();
                if (r.nextInt(4) == 0) {
                    throttle.onAccepted();
                    accepted.increment();
                } else {
                    throttle.onRejected();
                }
            }
        });

        long requests = 1 + (long) THREADS * ROUNDS;
        long accepts = 1 + accepted.sum();
        assertEquals(requests - 1, sent.sum() + rejectedLocally.sum());
        assertEquals(AdaptiveThrottle.rejectProbability(requests, accepts, 2.0), throttle.rejectProbability(),
                "every attempt and every accept counted once: " + requests + " requests, " + accepts + " accepts");
        assertEquals(rejectedLocally.sum(), metrics.count("backend", Outcome.REJECTED),
                "each local rejection reported once");
        assertTrue(rejectedLocally.sum() > 0 && throttle.rejectProbability() > 0.3,
                "the throttle engaged: " + rejectedLocally + " local rejections, p " + throttle.rejectProbability());
        ticker.advance(Duration.ofSeconds(11));
        assertEquals(0.0, throttle.rejectProbability(), "all of it slid out of the window");
    }
}
