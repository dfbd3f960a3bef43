package dev.nines.redis;

import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.internal.PolicyWiring;
import dev.nines.redis.internal.FleetEngine;
import dev.nines.redis.internal.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import java.time.Duration;

/**
 * Lettuce client options for a rate limiter that must answer while Redis is down: commands are
 * rejected at once while disconnected (not queued until a reconnect), the queue of requests is
 * bounded, and every command times out. Apply them to the client the limiters' connection comes from:
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://redis.internal:6379");
 * client.setOptions(RedisClients.options(Duration.ofMillis(50)));
 * StatefulRedisConnection<String, String> connection = client.connect();
 * }</pre>
 *
 * The limiter bounds each decision by its own {@code timeout} whatever the client does; these options
 * keep the client's queue and memory bounded too, and fail fast while reconnecting. Stateless and
 * thread-safe.
 */
public final class RedisClients {

    /** The request queue bound {@link #options(Duration)} sets: beyond it commands fail at once. */
    public static final int REQUEST_QUEUE_SIZE = 10_000;

    private RedisClients() {
    }

    /** Options for a {@code RedisClient}: reject while disconnected, bounded queue, {@code commandTimeout} per command. */
    public static ClientOptions options(Duration commandTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    /**
     * Options for a {@code RedisClusterClient}: a bounded queue and {@code commandTimeout} per command,
     * but commands are queued (within that bound), not rejected, while a node's connection is being
     * opened. Lettuce opens the connection to each node on its first command, and from Lettuce 7 on
     * {@code REJECT_COMMANDS} refuses that very command; the limiter's own timeout and breaker still
     * bound every caller while a node is down.
     */
    public static ClusterClientOptions clusterOptions(Duration commandTimeout) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
    }

    /** The given breaker, or the default one for a limiter called {@code name}, logging its state changes. */
    static CircuitBreaker breaker(String name, RedisSettings settings, PolicyWiring wiring) {
        if (settings.breaker != null) {
            return settings.breaker;
        }
        return CircuitBreaker.builder(name + "-redis")
                .countWindow(10)
                .minimumCalls(5)
                .failureRateThreshold(0.5)
                .openDuration(Duration.ofSeconds(1))
                .halfOpenOnRequest()
                .listener(FleetEngine.logger(name, settings.whenDown()))
                .ticker(wiring.ticker())
                .metrics(wiring.metrics())
                .build();
    }
}
