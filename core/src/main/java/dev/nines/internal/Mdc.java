package dev.nines.internal;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the caller's SLF4J MDC to work that runs on another thread.
 *
 * <p>Not part of the public API. Capture on the calling thread, then wrap the task that runs
 * elsewhere: the task sees the caller's entries and the worker's own entries come back afterwards.
 * Stateless and thread-safe; the captured map is a copy, never shared with the caller's MDC.
 */
public final class Mdc {

    private Mdc() {
    }

    /** The caller's MDC entries, or {@code null} when there are none. */
    public static Map<String, String> capture() {
        Map<String, String> map = MDC.getCopyOfContextMap();
        return map == null || map.isEmpty() ? null : map;
    }

    /** Wraps {@code task} so that it runs with {@code captured} as its MDC. */
    public static Runnable wrap(Map<String, String> captured, Runnable task) {
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(captured);
            try {
                task.run();
            } finally {
                set(previous);
            }
        };
    }

    private static void set(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(map);
        }
    }
}
