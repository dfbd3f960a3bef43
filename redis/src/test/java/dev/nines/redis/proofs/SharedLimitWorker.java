package dev.nines.redis.proofs;

import dev.nines.ratelimit.Rate;
import dev.nines.redis.RedisClients;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.RedisKeyedRateLimiterBuilder;
import dev.nines.redis.WhenRedisDown;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a fleet, run as a JVM of its own by {@link MultiProcessSharedLimitTest}: it builds
 * a Redis keyed limiter on the shared limit, says {@code ready}, waits for {@code go} on its standard
 * input, makes a fixed number of decisions on the shared key as fast as it can, and prints
 * {@code granted=G refused=R start=S end=E} before it exits, where S and E are Redis's clock
 * ({@code TIME}, in microseconds) read just before its first decision and just after its last.
 *
 * <p>Arguments: Redis URI, limiter name, permits per second, burst, decisions to make, then
 * optionally lease permits and lease milliseconds. Redis being down is decided {@code FAIL_CLOSED}
 * with a generous timeout, so a slow moment on a loaded machine can only refuse, never grant more
 * than the shared limit: the bound the parent checks is then the limiter's alone.
 */
public final class SharedLimitWorker {

    /** The key every worker decides on. */
    static final String KEY = "fleet-client";

    private SharedLimitWorker() {
    }

    /** Runs one worker; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        long perSecond = Long.parseLong(args[2]);
        long burst = Long.parseLong(args[3]);
        int decisions = Integer.parseInt(args[4]);

        RedisClient client = RedisClient.create(uri);
        client.setOptions(RedisClients.options(Duration.ofSeconds(2)));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisKeyedRateLimiterBuilder builder = RedisKeyedRateLimiter.builder(name)
                    .connection(connection)
                    .limit(Rate.of(perSecond, Duration.ofSeconds(1), burst))
                    .timeout(Duration.ofSeconds(2))
                    .whenDown(WhenRedisDown.FAIL_CLOSED);
            if (args.length > 6) {
                builder.lease(Long.parseLong(args[5]), Duration.ofMillis(Long.parseLong(args[6])));
            }
            RedisKeyedRateLimiter limiter = builder.build();
            limiter.availablePermits("warm-up"); // loads the script and warms the path before the start

            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                throw new IllegalStateException("expected go on standard input");
            }
            long start = redisMicros(connection);
            long granted = 0;
            for (int i = 0; i < decisions; i++) {
                if (limiter.tryAcquire(KEY)) {
                    granted++;
                }
            }
            long end = redisMicros(connection);
            System.out.println("granted=" + granted + " refused=" + (decisions - granted)
                    + " start=" + start + " end=" + end);
            System.out.flush();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Redis's clock in microseconds: the clock the limiter's script decides on. */
    static long redisMicros(StatefulRedisConnection<String, String> connection) {
        List<String> time = connection.sync().time();
        return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    }
}
