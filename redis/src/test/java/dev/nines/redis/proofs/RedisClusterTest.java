package dev.nines.redis.proofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.AcquireResult;
import dev.nines.ratelimit.Rate;
import dev.nines.redis.RedisClients;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.RedisKeyedRateLimiterBuilder;
import dev.nines.redis.RedisRateLimiter;
import dev.nines.redis.WhenRedisDown;
import dev.nines.redis.testing.RedisClusterFixture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiters on a real three-master Redis Cluster ({@link RedisClusterFixture}): every
 * decision's keys share the client key's hash tag, so one script runs on one node whatever the
 * client key (braces included), decisions on many keys spread over every master, and a prefix that
 * would split a decision over two slots is refused at {@code build()}, the refusal confirmed by the
 * cluster's own {@code CLUSTER KEYSLOT}. Decisions fail closed with a generous timeout, so a
 * decision Redis could not run (a cross-slot script) shows as a refusal, not as a fallback grant.
 */
@Tag("cluster")
class RedisClusterTest {

    private static RedisClusterFixture cluster;
    private static RedisClusterClient client;
    private static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterFixture.start(Path.of("target", "redis-cluster"));
        List<RedisURI> seeds = cluster.uris().stream().map(RedisURI::create).toList();
        client = RedisClusterClient.create(seeds);
        client.setOptions(RedisClients.clusterOptions(Duration.ofSeconds(2)));
        connection = client.connect();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static RedisKeyedRateLimiterBuilder keyed(String name) {
        return RedisKeyedRateLimiter.builder(name).connection(connection).timeout(Duration.ofSeconds(2))
                .whenDown(WhenRedisDown.FAIL_CLOSED).metrics(MetricsSink.noop());
    }

    @Test
    void aKeyedLimiterDecidesAllOrNothingOnKeysSpreadOverEveryMaster() {
        // two limits, so two Redis keys per decision: they must share one slot for the script to run
        RedisKeyedRateLimiter limiter = keyed("cluster-keys")
                .limit(Rate.of(1, Duration.ofHours(1), 3))
                .limit(Rate.of(1000, Duration.ofSeconds(1), 1000))
                .build();
        List<String> clients = new ArrayList<>(List.of("", "{", "}", "{}", "}{", "a}b", "{x}", "{x}y", "é-ü"));
        for (int i = 0; i < 150; i++) {
            clients.add("client-" + i);
        }
        Set<Integer> slots = new HashSet<>();
        for (String key : clients) {
            for (int i = 0; i < 3; i++) {
                AcquireResult granted = limiter.tryAcquireDetailed(key, 1);
                assertTrue(granted.acquired(), "permit " + (i + 1) + " of 3 for '" + key + "': " + granted);
            }
            AcquireResult refused = limiter.tryAcquireDetailed(key, 1);
            assertFalse(refused.acquired(), "a fourth permit for '" + key + "'");
            assertTrue(refused.nanosToWait() > TimeUnit.MINUTES.toNanos(50),
                    "refused by Redis (wait for the hourly permit), not failed closed: " + refused);
            String first = "nines:rl:cluster-keys:{=" + key + "}:0";
            String second = "nines:rl:cluster-keys:{=" + key + "}:1";
            int slot = cluster.keySlot(first);
            assertEquals(slot, cluster.keySlot(second), "the cluster puts both keys of '" + key + "' in one slot");
            slots.add(slot);
        }
        assertTrue(slots.size() > 100, "the client keys spread over many slots: " + slots.size());
        for (int node = 0; node < RedisClusterFixture.NODES; node++) {
            assertTrue(cluster.keysOn(node) > 0, "master " + node + " holds some of the buckets");
        }
    }

    @Test
    void aPrefixThatWouldSplitADecisionOverTwoSlotsIsRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keyed("split")
                .keyPrefix("rl{}:").limit(Rate.perSecond(5)).limit(Rate.perMinute(100)).build());
        assertTrue(e.getMessage().contains("keyPrefix") && e.getMessage().contains("'rl{}:'"), e.getMessage());
        // the cluster agrees: with an empty tag in front, each key hashes whole, and the two differ
        assertNotEquals(cluster.keySlot("rl{}:{=client}:0"), cluster.keySlot("rl{}:{=client}:1"));

        // a tag of the user's own in the prefix is legal: every key of every client in its slot
        RedisKeyedRateLimiter tenant = keyed("tenant").keyPrefix("{tenant-7}:")
                .limit(Rate.of(1, Duration.ofHours(1), 2)).limit(Rate.perMinute(100)).build();
        assertTrue(tenant.tryAcquire("a"));
        assertTrue(tenant.tryAcquire("b"));
        assertTrue(tenant.tryAcquire("a"));
        assertFalse(tenant.tryAcquire("a"));
        assertEquals(cluster.keySlot("{tenant-7}:{=a}:0"), cluster.keySlot("{tenant-7}:{=b}:1"));
    }

    @Test
    void aSharedLimiterTakesItsLimitFromTheClusterToo() {
        RedisRateLimiter shared = RedisRateLimiter.builder("cluster-shared").connection(connection)
                .limit(Rate.of(1, Duration.ofHours(1), 4)).limit(Rate.perSecond(100))
                .timeout(Duration.ofSeconds(2)).whenDown(WhenRedisDown.FAIL_CLOSED).metrics(MetricsSink.noop()).build();
        RedisRateLimiter otherInstance = shared.toBuilder().build();
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += (i % 2 == 0 ? shared : otherInstance).tryAcquire() ? 1 : 0;
        }
        assertEquals(4, granted, "one burst across both instances");
    }
}
