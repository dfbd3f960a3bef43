package dev.nines.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nines.context.ContextPropagator;
import dev.nines.bulkhead.ThreadPoolBulkhead;
import dev.nines.timeout.Timeout;
import io.micrometer.context.ContextRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * With nines-micrometer on the path, a real OpenTelemetry SDK records one trace across the
 * caller and the worker of a sync timeout and a thread-pool bulkhead, and a registered
 * {@code ThreadLocalAccessor} arrives on the worker and leaves the worker's own value in place.
 */
class MicrometerContextPropagatorTest {

    /** A thread-local of the kind Spring Security keeps, registered with the global registry. */
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final String TENANT_KEY = "nines.test.tenant";

    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private static SdkTracerProvider provider;
    private static Tracer tracer;

    @BeforeAll
    static void tracing() {
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        tracer = provider.get("nines-test");
        ContextRegistry.getInstance().registerThreadLocalAccessor(TENANT_KEY, TENANT);
    }

    @AfterAll
    static void stopTracing() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(TENANT_KEY);
        provider.close();
    }

    @AfterEach
    void clear() {
        spans.reset();
        TENANT.remove();
        MDC.clear();
    }

    @Test
    void ninesFindsThisPropagatorThroughTheServiceLoader() {
        assertInstanceOf(MicrometerContextPropagator.class, ContextPropagator.installed());
    }

    @Test
    void aSyncTimeoutKeepsOneTrace() throws Exception {
        Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).build();
        assertOneTrace(work -> t.call(work));
    }

    @Test
    void aThreadPoolBulkheadKeepsOneTrace() throws Exception {
        ThreadPoolBulkhead b = ThreadPoolBulkhead.builder("b").maxThreads(1).build();
        assertOneTrace(work -> b.submit(work).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void virtualThreadsKeepOneTraceToo() throws Exception {
        // refused at build() before Java 21, which core's ContextPropagatorTest checks
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
        Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).virtualThreads(true).build();
        assertOneTrace(work -> t.call(work));
        spans.reset();
        ThreadPoolBulkhead b = ThreadPoolBulkhead.builder("b").maxThreads(1).virtualThreads(true).build();
        assertOneTrace(work -> b.submit(work).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    /** Runs a span on the worker inside a caller's span; both must share one trace, parent and child. */
    private void assertOneTrace(Hop hop) throws Exception {
        Span caller = tracer.spanBuilder("caller").startSpan();
        String workerThread;
        Scope scope = caller.makeCurrent();
        try {
            MDC.put("requestId", "r-7");
            workerThread = hop.run(() -> {
                Span worker = tracer.spanBuilder("worker").startSpan();
                worker.end();
                assertEquals("r-7", MDC.get("requestId"), "the MDC arrives as well");
                return Thread.currentThread().getName();
            });
            assertSame(caller, Span.current(), "the caller's context is untouched");
        } finally {
            scope.close();
            caller.end();
        }
        assertEquals(Context.root(), Context.current());
        List<SpanData> finished = spans.getFinishedSpanItems().stream()
                .sorted(Comparator.comparing(SpanData::getName)).toList();
        assertEquals(List.of("caller", "worker"), finished.stream().map(SpanData::getName).toList());
        SpanData callerSpan = finished.get(0);
        SpanData workerSpan = finished.get(1);
        assertEquals(callerSpan.getTraceId(), workerSpan.getTraceId(), "one trace across " + workerThread);
        assertEquals(callerSpan.getSpanId(), workerSpan.getParentSpanId(), "the worker's span is the caller's child");
    }

    @Test
    void aRegisteredThreadLocalArrivesAndTheWorkersOwnComesBack() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            worker.submit(() -> TENANT.set("worker's")).get(10, TimeUnit.SECONDS);
            Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).executor(worker).build();

            TENANT.set("acme");
            assertEquals("acme", t.call(TENANT::get));
            assertEquals("worker's", worker.submit(TENANT::get).get(10, TimeUnit.SECONDS), "restored after");

            TENANT.remove();
            assertNull(t.call(TENANT::get), "a value the caller lacks is cleared for the work");
            assertEquals("worker's", worker.submit(TENANT::get).get(10, TimeUnit.SECONDS), "and restored after");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void theWorkersOwnOpenTelemetryContextComesBack() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        Span own = tracer.spanBuilder("worker's own").startSpan();
        try {
            Scope[] ownScope = new Scope[1];
            worker.submit(() -> {
                ownScope[0] = own.makeCurrent();
            }).get(10, TimeUnit.SECONDS);
            Timeout t = Timeout.builder("t").timeout(Duration.ofSeconds(30)).executor(worker).build();
            Span caller = tracer.spanBuilder("caller").startSpan();
            Scope scope = caller.makeCurrent();
            try {
                assertSame(caller, t.call(Span::current));
            } finally {
                scope.close();
                caller.end();
            }
            assertSame(Span.getInvalid(), t.call(Span::current), "a caller without a span: the work has none either");
            assertSame(own, worker.submit(Span::current).get(10, TimeUnit.SECONDS), "the worker's own span is back");
            worker.submit(() -> ownScope[0].close()).get(10, TimeUnit.SECONDS);
        } finally {
            own.end();
            worker.shutdownNow();
        }
    }

    /** One of nines's thread hops, running {@code work} on its worker. */
    private interface Hop {
        String run(Callable<String> work) throws Exception;
    }
}
