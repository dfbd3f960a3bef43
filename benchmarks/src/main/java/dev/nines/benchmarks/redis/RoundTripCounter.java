package dev.nines.benchmarks.redis;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.net.SocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the commands a Lettuce client completed, by command type: each is one request/response
 * exchange with Redis, so their number per decision is the decision's round trips (a script run by
 * {@code EVALSHA} is one, however many commands the script itself calls inside Redis, which Redis's
 * own {@code INFO commandstats} would count too).
 *
 * <p>Installed as the client's {@link CommandLatencyRecorder}
 * ({@code ClientResources.builder().commandLatencyRecorder(counter)}); Lettuce calls it on its
 * event loop once per completed command. Thread-safe.
 */
public final class RoundTripCounter implements CommandLatencyRecorder {

    private final Map<String, LongAdder> byCommand = new ConcurrentHashMap<>();

    @Override
    public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
            long firstResponseLatency, long completionLatency) {
        byCommand.computeIfAbsent(commandType.toString(), k -> new LongAdder()).increment();
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    /** Commands completed since the last {@link #reset()}, by command name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        byCommand.forEach((command, count) -> copy.put(command, count.sum()));
        copy.values().removeIf(count -> count == 0);
        return copy;
    }

    /** Total commands completed since the last {@link #reset()}. */
    public long total() {
        return byCommand.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Starts counting from zero. */
    public void reset() {
        byCommand.values().forEach(LongAdder::reset);
    }
}
