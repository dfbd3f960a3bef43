package dev.nines.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.FailureFilter;
import dev.nines.ManualTicker;
import dev.nines.annotation.NinesProxy;
import dev.nines.fallback.annotation.WithFallback;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FallbackConfig}, {@code toBuilder()}, and the fallback's reading of its {@link FailureFilter}. */
class FallbackConfigTest {

    private final InMemoryMetrics metrics = new InMemoryMetrics(new ManualTicker(), 10);

    @AfterEach
    void resetDefault() {
        Metrics.setDefault(null);
    }

    static void assertSameSettings(FallbackConfig a, FallbackConfig b) {
        assertEquals(a.name(), b.name());
        assertSame(a.function(), b.function());
        assertEquals(a.returnsStage(), b.returnsStage());
        assertSame(a.failures(), b.failures());
        assertEquals(a.metrics().toString(), b.metrics().toString(), "the same sink, guarded by each build");
    }

    @Test
    void toBuilderKeepsEverySettingAndANewSourceReplacesTheCopiedOne() throws Exception {
        FailureFilter failures = FailureFilter.on(IOException.class);
        Fallback f = Fallback.builder("fb").asyncFunction(t -> CompletableFuture.completedFuture("s"))
                .failures(failures).metrics(metrics).build();
        Fallback copy = f.toBuilder().build();
        assertSameSettings(f.config(), copy.config());
        assertTrue(copy.config().returnsStage());
        assertSame(failures, copy.config().failures());

        Fallback other = f.toBuilder().value("v").build();
        assertFalse(other.config().returnsStage());
        assertEquals("v", other.call(() -> {
            throw new IOException();
        }));
        assertEquals(1, metrics.count("fb", Outcome.FALLBACK), "the sink that was set is carried on");
        assertEquals("fallback source must be set exactly once (value, function, supplier, callable or "
                + "asyncFunction) but was set 2 times", assertThrows(IllegalArgumentException.class,
                        () -> f.toBuilder().value(1).value(2).build()).getMessage());
    }

    @Test
    void defaultsAreReadableAndAnUnsetSinkStaysUnsetThroughToBuilder() {
        InMemoryMetrics first = new InMemoryMetrics();
        InMemoryMetrics later = new InMemoryMetrics();
        Metrics.setDefault(first);
        Fallback f = Fallback.of("x");
        assertSame(FailureFilter.exceptions(), f.config().failures());
        assertFalse(f.config().returnsStage());
        assertTrue(f.config().name().matches("fallback-\\d+"));
        Metrics.setDefault(later);
        FallbackConfig derived = f.toBuilder().build().config();
        assertSameSettings(f.config(), derived);
        derived.metrics().onTransition("derived", "test", "A", "B");
        f.config().metrics().onTransition("original", "test", "A", "B");
        assertEquals(1, later.transitions("derived").size(), "the current default");
        assertEquals(1, later.transitions("original").size(), "built earlier, the current default too");
        assertEquals(0, first.transitions().size());
        assertEquals(f.name(), derived.name(), "a derived fallback keeps the name it was given");
    }

    @Test
    void eachVerdictOfTheFilterReachesTheRightBehaviour() throws Exception {
        List<Throwable> seen = new ArrayList<>();
        Fallback f = Fallback.builder("fb").function((failure, ctx) -> {
            seen.add(failure);
            return "replaced";
        }).failures(FailureFilter.on(IOException.class).ignoring(FileNotFoundException.class)
                .failingResults("empty"::equals).ignoringResults("empty-but-fine"::equals)).metrics(metrics).build();

        IOException io = new IOException("FAILURE");
        assertEquals("replaced", f.call(() -> {
            throw io;
        }));
        assertEquals("replaced", f.call(() -> "empty"), "a result judged a failure is replaced too");
        assertEquals(2, metrics.count("fb", Outcome.FALLBACK));
        assertSame(io, seen.get(0));
        assertNull(seen.get(1), "a failed result has no exception to show the function");

        assertThrows(FileNotFoundException.class, () -> f.call(() -> {
            throw new FileNotFoundException("IGNORED: passes through");
        }));
        assertThrows(IllegalStateException.class, () -> f.call(() -> {
            throw new IllegalStateException("SUCCESS: not a failure, passes through");
        }));
        assertEquals("empty-but-fine", f.call(() -> "empty-but-fine"));
        assertEquals("fine", f.call(() -> "fine"));
        assertEquals(2, metrics.count("fb", Outcome.FALLBACK));
        assertTrue(f.handles(io));
        assertFalse(f.handles(new FileNotFoundException()));
    }

    @Test
    void theAsyncPathReadsTheFilterTheSameWay() throws Exception {
        Fallback f = Fallback.builder("fb").value("replaced").failures(FailureFilter.on(IOException.class)
                .ignoring(FileNotFoundException.class).failingResults("empty"::equals)).build();
        assertEquals("replaced", f.callAsync(() -> CompletableFuture.<String>failedFuture(new IOException()))
                .toCompletableFuture().get());
        assertEquals("replaced", f.callAsync(() -> CompletableFuture.completedFuture("empty"))
                .toCompletableFuture().get());
        assertEquals("fine", f.callAsync(() -> CompletableFuture.completedFuture("fine")).toCompletableFuture().get());
        CompletableFuture<String> ignored = f.callAsync(
                () -> CompletableFuture.<String>failedFuture(new FileNotFoundException())).toCompletableFuture();
        assertTrue(ignored.isCompletedExceptionally());
    }

    @Test
    void nullsFailAtTheSetterNamingTheParameter() {
        assertEquals("failures", assertThrows(NullPointerException.class,
                () -> Fallback.builder("fb").failures(null)).getMessage());
        assertEquals("metrics", assertThrows(NullPointerException.class,
                () -> Fallback.builder("fb").metrics(null)).getMessage());
        assertEquals("name must not be blank but was ' '; fallback source must be set exactly once (value, function, "
                + "supplier, callable or asyncFunction) but was set 0 times",
                assertThrows(IllegalArgumentException.class, () -> Fallback.builder(" ").build()).getMessage());
    }

    public interface Quotes {
        @WithFallback(method = "cached", failures = IOException.class, ignored = FileNotFoundException.class)
        String quote(Exception toThrow) throws Exception;

        @WithFallback(method = "cachedAsync")
        CompletionStage<String> quoteAsync(Exception toThrow);
    }

    static final class Impl implements Quotes {
        @Override
        public String quote(Exception toThrow) throws Exception {
            throw toThrow;
        }

        @Override
        public CompletionStage<String> quoteAsync(Exception toThrow) {
            return CompletableFuture.failedFuture(toThrow);
        }

        @SuppressWarnings("unused")
        String cached(Exception toThrow, IOException failure) {
            return "cached after " + failure.getClass().getSimpleName();
        }

        @SuppressWarnings("unused")
        CompletionStage<String> cachedAsync(Exception toThrow, Exception failure) {
            return CompletableFuture.completedFuture("cached");
        }
    }

    @Test
    void theAnnotationsFailuresAndIgnoredAttributesBecomeTheFilter() throws Exception {
        Quotes quotes = NinesProxy.builder(Quotes.class, new Impl()).metrics(metrics).build();
        assertEquals("cached after IOException", quotes.quote(new IOException()));
        assertThrows(FileNotFoundException.class, () -> quotes.quote(new FileNotFoundException()));
        assertThrows(IllegalStateException.class, () -> quotes.quote(new IllegalStateException()));
        assertEquals("cached", quotes.quoteAsync(new IllegalStateException()).toCompletableFuture().get(),
                "no failures listed: every exception, as by default");
    }
}
