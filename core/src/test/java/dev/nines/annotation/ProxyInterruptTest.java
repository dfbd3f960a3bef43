package dev.nines.annotation;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.metrics.MetricsSink;
import dev.nines.timeout.annotation.WithTimeout;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What the caller of a proxied method gets when it is interrupted while a policy waits. */
class ProxyInterruptTest {

    public interface Quotes {
        @WithTimeout(millis = 60_000)
        String quote();

        @WithTimeout(millis = 60_000)
        String quoteOrInterrupted() throws InterruptedException;
    }

    /** An implementation that holds every call until released. */
    private static final class Blocking implements Quotes {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String quote() {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "42";
        }

        @Override
        public String quoteOrInterrupted() {
            return quote();
        }
    }

    @Test
    void anInterruptedCallerOfAMethodNotDeclaringInterruptedExceptionGetsAnUncheckedExceptionWithItsFlagSet() {
        Blocking target = new Blocking();
        Quotes quotes = NinesProxy.builder(Quotes.class, target).metrics(MetricsSink.noop()).build();
        try {
            Thread.currentThread().interrupt(); // the timeout's wait for the work sees it at once
            InterruptedCallException e = assertThrows(InterruptedCallException.class, quotes::quote);
            assertTrue(Thread.interrupted(), "the interrupt status is kept set (and cleared here)");
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(e.getMessage().contains("Quotes.quote()"), e.getMessage());
        } finally {
            Thread.interrupted();
            target.release.countDown();
        }
    }

    @Test
    void aMethodDeclaringInterruptedExceptionGetsItAsIs() {
        Blocking target = new Blocking();
        Quotes quotes = NinesProxy.builder(Quotes.class, target).metrics(MetricsSink.noop()).build();
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, quotes::quoteOrInterrupted);
            assertTrue(Thread.interrupted(), "the interrupt status is kept set (and cleared here)");
        } finally {
            Thread.interrupted();
            target.release.countDown();
        }
    }
}
