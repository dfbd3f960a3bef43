package dev.nines.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where policies find their metrics sink, and the guard that keeps a failing sink away from the
 * protected call.
 *
 * <p>A policy built without an explicit sink takes {@link #getDefault()} at {@code build()} time:
 * the sink set with {@link #setDefault(MetricsSink)} if any, otherwise every sink found through
 * {@link ServiceLoader} (composed), otherwise {@link MetricsSink#noop()}.
 *
 * <p>Thread-safe: the default is a volatile field, discovery runs once, and guarded sinks may be
 * shared by any number of threads.
 */
public final class Metrics {

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    private static final LongAdder SINK_FAILURES = new LongAdder();

    private static volatile MetricsSink explicitDefault;

    private Metrics() {
    }

    /** The sink policies use when their builder is given none. Never {@code null}. */
    public static MetricsSink getDefault() {
        MetricsSink explicit = explicitDefault;
        return explicit != null ? explicit : Discovered.SINK;
    }

    /**
     * Sets the sink that policies built from now on use by default; {@code null} goes back to the
     * discovered one. Policies already built keep the sink they were built with.
     */
    public static void setDefault(MetricsSink sink) {
        explicitDefault = sink == null ? null : guard(sink);
    }

    /**
     * Wraps {@code sink} so that whatever it throws is caught, counted in {@link #sinkFailures()},
     * and logged once per sink. Guarding a guarded sink, or the no-op sink, returns it unchanged.
     */
    public static MetricsSink guard(MetricsSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (sink == MetricsSink.noop() || sink instanceof GuardedSink) {
            return sink;
        }
        return new GuardedSink(sink);
    }

    /**
     * The sink a policy reports to, given what its builder was told: {@code configured} guarded,
     * or {@link #getDefault()} when the builder was given none ({@code null}). Every builder goes
     * through here, so every policy's sink is guarded.
     */
    public static MetricsSink resolve(MetricsSink configured) {
        return configured == null ? getDefault() : guard(configured);
    }

    /** How many times a sink has thrown since the JVM started. */
    public static long sinkFailures() {
        return SINK_FAILURES.sum();
    }

    static void recordFailure() {
        SINK_FAILURES.increment();
    }

    /** Lazily discovers sinks on first use. */
    private static final class Discovered {
        static final MetricsSink SINK = discover();

        private static MetricsSink discover() {
            List<MetricsSink> found = new ArrayList<>();
            try {
                for (MetricsSink s : ServiceLoader.load(MetricsSink.class, Metrics.class.getClassLoader())) {
                    found.add(s);
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("nines: ignoring a metrics sink that could not be loaded", e);
            }
            if (!found.isEmpty()) {
                LOG.info("nines: using discovered metrics sinks {}", found);
            }
            return MetricsSink.composite(found.toArray(new MetricsSink[0]));
        }
    }
}
