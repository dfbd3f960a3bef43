package dev.nines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RejectedCallExceptionTest {

    static final class Rejected extends RejectedCallException {
        private static final long serialVersionUID = 1L;

        Rejected(long retryAfterNanos) {
            super("p", "no", retryAfterNanos);
        }
    }

    @Test
    void rejectionsCarryNoStackTraceAndNoSuppressedList() {
        Rejected e = new Rejected(5);
        assertEquals(0, e.getStackTrace().length);
        e.addSuppressed(new RuntimeException());
        assertEquals(0, e.getSuppressed().length);
        assertNull(e.getCause());
    }

    @Test
    void retryAfterIsOptional() {
        assertEquals(Optional.of(Duration.ofNanos(5)), new Rejected(5).retryAfter());
        assertEquals(Optional.empty(), new Rejected(-3).retryAfter());
        assertEquals(-1, new Rejected(-3).retryAfterNanos());
        assertEquals("p", new Rejected(1).policyName());
    }
}
