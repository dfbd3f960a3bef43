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
 * <p>A policy built without an explicit sink reports to {@link #getDefault()}: one forwarding sink
 * that passes each event to the current default, the sink set with {@link #setDefault(MetricsSink)}
 * if any, otherwise every sink found through {@link ServiceLoader} (composed), otherwise
 * {@link MetricsSink#noop()}. A sink set late therefore still sees the calls of policies built
 * before it, and the gauges those policies registered are replayed to it when it is set.
 *
 * <p>The sink {@link #resolve} gives a policy also emits nines' JDK Flight Recorder events
 * ({@code dev.nines.Rejection}, {@code dev.nines.Transition}, {@code dev.nines.TierChange}),
 * disabled by default, unless the policy was given {@link MetricsSink#noop()} explicitly.
 *
 * <p>Thread-safe: the current default is a volatile field, read once per event with no lock and no
 * allocation; discovery runs once; guarded sinks may be shared by any number of threads.
 */
public final class Metrics {

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    private static final LongAdder SINK_FAILURES = new LongAdder();

    private Metrics() {
    }

    /**
     * The sink policies use when their builder is given none: always the same forwarding sink,
     * which passes each event to the sink that is the default at that moment. Never {@code null}.
     */
    public static MetricsSink getDefault() {
        return Default.SINK;
    }

    /**
     * Sets the sink that every policy built without an explicit sink reports to from now on, those
     * built earlier included; {@code null} goes back to the discovered one. Every gauge such
     * policies registered so far is registered again with {@code sink}, so it samples them from the
     * start. Events under way while the default changes reach the old sink or the new one. A
     * composite that holds {@link #getDefault()} ({@code MetricsSink.composite(Metrics.getDefault(),
     * mine)}) adds {@code mine} beside the current sink: the default inside it stands for the sink
     * current at this call.
     */
    public static synchronized void setDefault(MetricsSink sink) {
        MetricsSink next;
        if (sink == null) {
            next = Discovered.SINK;
        } else if (sink == Default.SINK) {
            throw new IllegalArgumentException("sink: Metrics.getDefault() cannot be its own target");
        } else if (sink instanceof CompositeSink) {
            // composite(getDefault(), mine) means "the current sink and mine", not a forwarding loop
            next = quietGuard(((CompositeSink) sink).replacing(Default.SINK, Default.SINK.target()));
        } else {
            next = quietGuard(sink); // the forwarder emits the JFR events
        }
        Default.SINK.retarget(next);
    }

    /**
     * Whether events sent to {@code sink} are dropped right now: it is {@link MetricsSink#noop()},
     * or it is {@link #getDefault()} while no sink is set or discovered. Policies ask this per call
     * (a volatile read) to skip reading the clock when nothing would see the duration.
     */
    public static boolean isNoop(MetricsSink sink) {
        return sink == MetricsSink.noop() || sink == Default.SINK && Default.SINK.target() == MetricsSink.noop();
    }

    /**
     * Wraps {@code sink} so that whatever it throws is caught, counted in {@link #sinkFailures()},
     * and logged once per sink. Guarding a guarded sink, or the no-op sink, returns it unchanged.
     */
    public static MetricsSink guard(MetricsSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (sink == MetricsSink.noop() || sink instanceof GuardedSink || sink instanceof DefaultSink) {
            return sink;
        }
        return new GuardedSink(sink, false);
    }

    /**
     * The sink a policy reports to, given what its builder was told: {@code configured} guarded,
     * or {@link #getDefault()} when the builder was given none ({@code null}). Every builder goes
     * through here, so every policy's sink is guarded, and every sink but the no-op one emits
     * nines' JFR events.
     */
    public static MetricsSink resolve(MetricsSink configured) {
        if (configured == null || configured == Default.SINK) {
            return Default.SINK;
        }
        if (configured == MetricsSink.noop()) {
            return configured;
        }
        if (configured instanceof GuardedSink) {
            GuardedSink g = (GuardedSink) configured;
            return g.emitsEvents() ? g : new GuardedSink(g.delegate(), true);
        }
        return new GuardedSink(configured, true);
    }

    /** {@link #guard}, but never a guard that emits JFR events: for sinks behind one that does. */
    static MetricsSink quietGuard(MetricsSink sink) {
        MetricsSink g = guard(sink);
        if (g instanceof GuardedSink && ((GuardedSink) g).emitsEvents()) {
            return new GuardedSink(((GuardedSink) g).delegate(), false);
        }
        return g;
    }

    /** How many times a sink has thrown since the JVM started. */
    public static long sinkFailures() {
        return SINK_FAILURES.sum();
    }

    static void recordFailure() {
        SINK_FAILURES.increment();
    }

    /** The forwarding default, made on first use (which runs discovery). */
    private static final class Default {
        static final DefaultSink SINK = new DefaultSink(Discovered.SINK);
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
