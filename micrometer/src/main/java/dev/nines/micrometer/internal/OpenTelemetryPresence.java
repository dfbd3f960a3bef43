package dev.nines.micrometer.internal;

/**
 * Tells whether OpenTelemetry's context API ({@code opentelemetry-context}, an optional
 * dependency) is on the path, without loading any class that links against it.
 *
 * <p>Not part of the public API. Thread-safe.
 */
public final class OpenTelemetryPresence {

    private OpenTelemetryPresence() {
    }

    /** Whether {@code io.opentelemetry.context.Context} can be loaded from here. */
    public static boolean present() {
        try {
            Class.forName("io.opentelemetry.context.Context", false, OpenTelemetryPresence.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
