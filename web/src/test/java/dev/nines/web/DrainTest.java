package dev.nines.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Drain} on its own and inside an {@link EndpointGuard}, without a server. */
class DrainTest {

    private final AtomicLong sink = new AtomicLong();

    /** Records what the guard sent; the request is {@link FakeRequest}. */
    private static final class RecordingExchange implements ServerExchange {
        int status = -1;
        Map<String, String> headers;
        String body;

        @Override
        public HttpRequestView request() {
            return new FakeRequest("192.0.2.1");
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public boolean isCommitted() {
            return status != -1;
        }

        @Override
        public void send(int status, Map<String, String> headers, String contentType, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

    @Test
    void aNegativeRetryAfterFailsAtBuildNamingTheSetterAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Drain.builder().retryAfter(Duration.ofSeconds(-1)).build());
        assertEquals("retryAfter must be >= 0 but was PT-1S", e.getMessage());
    }

    @Test
    void aNegativeDeadlineIsRefusedWithoutStartingTheDrain() {
        Drain drain = Drain.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> drain.drain(Duration.ofMillis(-5)));
        assertEquals("deadline must be >= 0 but was PT-0.005S", e.getMessage());
        assertFalse(drain.isDraining());
        assertThrows(IllegalArgumentException.class, () -> drain.addShutdownHook(Duration.ofSeconds(-1), () -> { }));
    }

    @Test
    void aDrainWithNothingInFlightIsOverAtOnce() throws Exception {
        Drain drain = Drain.builder().build();
        assertTrue(drain.start().toCompletableFuture().isDone());
        assertTrue(drain.isDraining());
        assertTrue(drain.drain(Duration.ZERO));
    }

    @Test
    void aRequestArrivingAfterTheStartIsRefusedWith503RetryAfterAndConnectionClose() throws Exception {
        Drain drain = Drain.builder().retryAfter(Duration.ofMillis(4500)).build();
        EndpointGuard guard = EndpointGuard.builder("orders").drain(drain).build();
        drain.start();
        RecordingExchange exchange = new RecordingExchange();
        AtomicInteger ran = new AtomicInteger();
        guard.handle(exchange, context -> {
            ran.incrementAndGet();
            return null;
        });
        assertEquals(0, ran.get());
        assertEquals(503, exchange.status);
        assertEquals("5", exchange.headers.get("Retry-After"), "rounded up to whole seconds");
        assertEquals("close", exchange.headers.get("Connection"));
        assertTrue(exchange.body.contains("\"type\":\"urn:nines:problem:draining\""), exchange.body);
        assertEquals(0, drain.inFlight());
    }

    @Test
    void aHandlerThatThrowsAnErrorStillLeavesTheDrain() throws Exception {
        Drain drain = Drain.builder().build();
        EndpointGuard guard = EndpointGuard.builder("orders").drain(drain).build();
        AssertionError boom = new AssertionError("boom");
        AssertionError thrown = assertThrows(AssertionError.class, () -> guard.handle(new RecordingExchange(), context -> {
            assertEquals(1, drain.inFlight());
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(0, drain.inFlight(), "the request's place was given back");
        assertTrue(drain.drain(Duration.ZERO));
    }

    @Test
    void anInterruptedHandlerStillLeavesTheDrain() throws Exception {
        Drain drain = Drain.builder().build();
        EndpointGuard guard = EndpointGuard.builder("orders").drain(drain).build();
        assertThrows(InterruptedException.class, () -> guard.handle(new RecordingExchange(), context -> {
            throw new InterruptedException();
        }));
        assertEquals(0, drain.inFlight());
    }

    /**
     * The race the one state word exists for: workers enter and leave while another thread starts
     * the drain at a random moment, round after round on the same threads. An admitted worker must
     * never see the drain over (it would be neither refused nor waited for), a refused one must
     * stay refused, and every drain must end with no one inside.
     */
    @Test
    void aRequestAdmittedAsTheDrainStartsIsWaitedForOrRefusedNeverNeither() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int rounds = 2_000;
        int workers = 1;
        Round[] plan = new Round[rounds];
        for (int r = 0; r < rounds; r++) {
            plan[r] = new Round(Drain.builder().build(), random.nextInt(5_000));
        }
        CyclicBarrier barrier = new CyclicBarrier(workers + 1);
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(new Thread(() -> {
                for (int r = 0; r < rounds && await(barrier); r++) {
                    Round round = plan[r];
                    for (;;) { // until refused: the drainer always starts the drain, within microseconds
                        if (!round.drain.tryEnter()) {
                            if (round.drain.tryEnter()) {
                                violations.add("round " + r + ": admitted after being refused");
                                round.drain.exit();
                            }
                            break;
                        }
                        round.inside.incrementAndGet();
                        sink.set(busy(20)); // the request's work
                        if (round.over.get()) {
                            violations.add("round " + r + ": admitted, yet the drain is already over");
                        }
                        round.inside.decrementAndGet();
                        round.drain.exit();
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int r = 0; r < rounds && await(barrier); r++) {
                Round round = plan[r];
                int n = r;
                sink.set(busy(round.delay)); // let the workers run a while first
                round.drain.start().thenRun(() -> {
                    round.over.set(true);
                    if (round.inside.get() != 0) {
                        violations.add("round " + n + ": the drain ended with " + round.inside.get() + " inside");
                    }
                });
            }
        }));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals(List.of(), violations, "seed " + seed);
        for (int r = 0; r < rounds; r++) {
            assertTrue(plan[r].over.get(), "the drain never ended; seed " + seed + ", round " + r);
            assertEquals(0, plan[r].drain.inFlight(), "seed " + seed + ", round " + r);
        }
    }

    /** One round of the race: a fresh drain, started after {@code delay} units of busy work. */
    private record Round(Drain drain, int delay, AtomicInteger inside, AtomicBoolean over) {
        Round(Drain drain, int delay) {
            this(drain, delay, new AtomicInteger(), new AtomicBoolean());
        }
    }

    private static long busy(int units) {
        long work = 0;
        for (int i = 0; i < units; i++) {
            work += Long.numberOfTrailingZeros(work + i);
        }
        return work;
    }

    private static boolean await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
