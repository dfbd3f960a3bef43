package dev.nines.redis.testing;

import dev.nines.redis.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;

/**
 * A Lettuce client and connection to a {@link RedisServerProcess}, configured as the README
 * recommends ({@link RedisClients#options(Duration)}) and reconnecting every 50 ms, so a test that
 * restarts Redis sees the connection back soon. Close it in {@code @AfterAll}. Not thread-safe to
 * close; the connection itself is.
 */
public final class RedisConnections implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    /** Connects to {@code server}. */
    public RedisConnections(RedisServerProcess server) {
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
        this.client = RedisClient.create(resources, server.uri());
        client.setOptions(RedisClients.options(Duration.ofMillis(200)));
        this.connection = client.connect();
    }

    /** The connection. */
    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
