package dev.nines.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.annotation.NinesProxy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.metrics.MetricsSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadPoolBulkheadAnnotationTest {

    public interface Reports {
        @WithBulkhead(type = WithBulkhead.Type.THREAD_POOL, maxConcurrent = 1, queueCapacity = 0, name = "reports")
        String render(String id);

        @WithBulkhead(type = WithBulkhead.Type.THREAD_POOL, maxConcurrent = 1, queueCapacity = 0, name = "reports")
        CompletionStage<String> renderAsync(String id);
    }

    /** Blocks inside the first call until the test releases it. */
    static final class SlowReports implements Reports {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String render(String id) {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return id + " on " + Thread.currentThread().getName();
        }

        @Override
        public CompletionStage<String> renderAsync(String id) {
            return CompletableFuture.completedFuture(render(id));
        }
    }

    @Test
    void aThreadPoolBulkheadRunsCallsOnItsOwnThreadsAndRejectsWhenFull() throws Exception {
        SlowReports target = new SlowReports();
        PolicyRegistry registry = new PolicyRegistry();
        Reports reports = NinesProxy.builder(Reports.class, target).registry(registry)
                .metrics(MetricsSink.noop()).build();

        CompletableFuture<String> first = reports.renderAsync("a").toCompletableFuture();
        assertTrue(target.inside.await(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> reports.renderAsync("b").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(BulkheadFullException.class, e.getCause(), "one thread, no queue: full");
        assertThrows(BulkheadFullException.class, () -> reports.render("c"), "the sync method shares the pool");

        target.release.countDown();
        assertTrue(first.get(10, TimeUnit.SECONDS).startsWith("a on nines-bulkhead-reports-"), first.get());
        ThreadPoolBulkhead pool = registry.find("reports", ThreadPoolBulkhead.class).orElseThrow();
        assertEquals(1, pool.config().maxThreads());
        assertEquals(0, pool.config().queueCapacity());
        // the slot comes back before the result is out, so the next call is admitted at once
        String d = reports.render("d");
        assertTrue(d.startsWith("d on nines-bulkhead-reports-"), "the caller waits for the result: " + d);
    }

    public interface WaitOnPool {
        @WithBulkhead(type = WithBulkhead.Type.THREAD_POOL, maxWaitMillis = 5)
        void call();
    }

    public interface QueueOnSemaphore {
        @WithBulkhead(queueCapacity = 10)
        void call();
    }

    @Test
    void settingsOfTheOtherTypeAreRefusedNamingTheAttribute() {
        IllegalArgumentException wait = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.create(WaitOnPool.class, () -> { }));
        assertEquals("@WithBulkhead on WaitOnPool.call(): maxWaitMillis must be 0 (unset) for type THREAD_POOL but was 5",
                wait.getMessage());
        IllegalArgumentException queue = assertThrows(IllegalArgumentException.class,
                () -> NinesProxy.create(QueueOnSemaphore.class, () -> { }));
        assertEquals("@WithBulkhead on QueueOnSemaphore.call(): queueCapacity must be -1 (unset) for type SEMAPHORE but was 10",
                queue.getMessage());
    }
}
