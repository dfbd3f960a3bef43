package dev.nines.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InOrderTest {

    @Test
    void anEventPublishedEarlyWaitsForTheOnesBeforeIt() {
        List<String> seen = new ArrayList<>();
        InOrder<String> order = new InOrder<>(seen::add);
        order.publish(2, "b");
        order.publish(3, InOrder.SKIP);
        assertEquals(List.of(), seen);
        order.publish(1, "a");
        assertEquals(List.of("a", "b"), seen);
        order.publish(4, "d");
        assertEquals(List.of("a", "b", "d"), seen);
    }

    @Test
    void racingPublishersAreDeliveredInSequenceOneAtATime() throws InterruptedException {
        int perThread = 100_000;
        int threads = 4;
        List<Long> seen = new ArrayList<>(); // not thread-safe on purpose: delivery is one thread at a time
        InOrder<Long> order = new InOrder<>(seen::add);
        AtomicLong seq = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long n = seq.incrementAndGet();
                    order.publish(n, n);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(threads * perThread, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1L, seen.get(i), "position " + i);
        }
    }

    @Test
    void aThrowingConsumerDoesNotStopLaterDeliveries() {
        List<Integer> seen = new ArrayList<>();
        InOrder<Integer> order = new InOrder<>(n -> {
            if (n == 1) {
                throw new IllegalStateException("boom");
            }
            seen.add(n);
        });
        order.publish(2, 2);
        assertThrows(IllegalStateException.class, () -> order.publish(1, 1));
        order.publish(3, 3);
        assertEquals(List.of(2, 3), seen);
    }
}
