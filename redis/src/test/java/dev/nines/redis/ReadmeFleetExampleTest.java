package dev.nines.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's "One limit across a fleet" example, run against a real redis-server (the web module's README test cannot see this module). */
class ReadmeFleetExampleTest {

    @Test
    void oneLimitAcrossAFleet() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            String clientKey = "client-1";
            RedisClient client = RedisClient.create(server.uri()); // the README: "redis://redis.internal:6379"
            try {
                client.setOptions(RedisClients.options(Duration.ofMillis(50))); // fail fast while disconnected, bounded queue
                StatefulRedisConnection<String, String> connection = client.connect();

                KeyedRateLimiter perClient = RedisKeyedRateLimiter.builder("per-client")
                        .connection(connection)                       // or a StatefulRedisClusterConnection
                        .limit(Rate.of(10, Duration.ofSeconds(1), 20))
                        .limit(Rate.perMinute(300))                   // several limits, all or nothing
                        .timeout(Duration.ofMillis(50))               // the longest a caller waits for Redis (the default)
                        .whenDown(WhenRedisDown.LOCAL_FALLBACK)       // the default
                        .expectedInstances(20)                        // the fallback gives each pod 1/20 of the limit
                        .build();
                // not in the README: load the script and warm the path first, so the one decision below
                // is one round trip, not a script load and class loading racing the 50 ms timeout on a
                // loaded machine (which answers from the local fallback instead)
                perClient.availablePermits("warm-up");
                AcquireResult r = perClient.tryAcquireDetailed(clientKey, 1); // one round trip

                assertTrue(r.acquired());
                assertEquals(19, r.remainingPermits(), "the burst of 20 binds");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
