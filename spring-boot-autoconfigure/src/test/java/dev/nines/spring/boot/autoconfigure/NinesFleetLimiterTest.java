package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.Policy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.retry.Retry;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.redis.RedisKeyedRateLimiter;
import dev.nines.redis.RedisRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/** The fleet limiters of {@code nines.fleet-rate-limiter}, on a real redis-server this test starts. */
class NinesFleetLimiterTest {

    private static Process server;
    private static int port;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class));

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createDirectories(Path.of("target", "redis-" + port));
        server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--save", "", "--appendonly",
                "no", "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    return "PONG".equals(c.sync().ping());
                }
            });
        } finally {
            client.shutdown();
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    @Test
    void aFleetLimiterIsBuiltOnTheApplicationsLettuceConnection() {
        runner.withUserConfiguration(Lettuce.class).withPropertyValues(
                "nines.fleet-rate-limiter.defaults.key-prefix=test:" + port + ":",
                // generous: a decision that waits longer applies when-down, and a loaded CI machine is slow
                "nines.fleet-rate-limiter.defaults.timeout=5s",
                "nines.fleet-rate-limiter.instances.partner.limit=2/1h",
                "nines.fleet-rate-limiter.instances.clients.limit=1/1h",
                "nines.fleet-rate-limiter.instances.clients.keyed=true",
                "nines.fleet-rate-limiter.instances.clients.when-down=fail-closed").run(context -> {
                    assertThat(context).hasNotFailed();
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    RateLimiter partner = registry.find("partner", RedisRateLimiter.class).orElseThrow();
                    assertThat(partner.tryAcquire()).isTrue();
                    assertThat(partner.tryAcquire()).isTrue();
                    assertThat(partner.tryAcquire()).isFalse(); // two an hour, for the whole fleet
                    RedisKeyedRateLimiter clients = registry.find("clients", RedisKeyedRateLimiter.class).orElseThrow();
                    assertThat(clients.tryAcquire("alice")).isTrue();
                    assertThat(clients.tryAcquire("alice")).isFalse();
                    assertThat(clients.tryAcquire("bob")).isTrue();
                });
    }

    @Test
    void theReadmesYamlExampleStartsAndBuildsEveryInstanceItNames() throws IOException {
        List<String> readme = Files.readAllLines(Path.of(System.getProperty("nines.readme", "../README.md")));
        int section = readme.indexOf("## Spring Boot");
        int start = readme.subList(section, readme.size()).indexOf("```yaml") + section + 1;
        int end = readme.subList(start, readme.size()).indexOf("```") + start;
        Path yaml = Files.createDirectories(Path.of("target", "readme-yaml")).resolve("application.yml");
        Files.write(yaml, readme.subList(start, end));
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("readme", new FileSystemResource(yaml));
        runner.withUserConfiguration(Lettuce.class)
                .withInitializer(c -> sources.forEach(c.getEnvironment().getPropertySources()::addFirst)).run(context -> {
                    assertThat(context).hasNotFailed();
                    PolicyRegistry registry = context.getBean(PolicyRegistry.class);
                    assertThat(registry.find("payments", CircuitBreaker.class).orElseThrow().config().openDuration())
                            .isEqualTo(Duration.ofSeconds(10));
                    assertThat(registry.find("PaymentClient.refund", CircuitBreaker.class).orElseThrow().config()
                            .windowSize()).isEqualTo(50);
                    assertThat(registry.find("fetch", Retry.class).orElseThrow().config().budget()).isPresent();
                    assertThat(registry.find("partner-quota", RedisRateLimiter.class)).isPresent();
                    assertThat(registry.find("per-tenant", RedisKeyedRateLimiter.class)).isPresent();
                    assertThat(registry.names(Policy.class)).hasSize(13);
                });
    }

    @Test
    void aCriticalFleetLimiterIsAMemberOfTheNinesHealthContributor() {
        runner.withConfiguration(AutoConfigurations.of(NinesHealthAutoConfiguration.class))
                .withUserConfiguration(Lettuce.class).withPropertyValues(
                        "nines.fleet-rate-limiter.instances.partner.limit=2/1h",
                        "nines.fleet-rate-limiter.instances.partner.key-prefix=test:" + port + ":health:",
                        "nines.fleet-rate-limiter.instances.partner.critical=true").run(context -> {
                            CompositeHealthContributor nines = context.getBean("ninesHealthContributor",
                                    CompositeHealthContributor.class);
                            HealthIndicator partner = (HealthIndicator) nines.getContributor("partner");
                            assertThat(partner.health().getStatus()).isEqualTo(Status.UP);
                            assertThat(partner.health().getDetails()).containsEntry("redis", "answering");
                        });
    }

    @Test
    void aFleetLimiterWithoutAConnectionBeanFailsNamingWhatIsMissing() {
        runner.withPropertyValues("nines.fleet-rate-limiter.instances.partner.limit=2/1h").run(context -> assertThat(
                context.getStartupFailure()).rootCause().hasMessageContaining(
                        "nines.fleet-rate-limiter.instances.partner.connection: must be one"
                                + " StatefulRedisConnection<String, String>"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Lettuce {
        @Bean(destroyMethod = "shutdown")
        RedisClient redisClient() {
            return RedisClient.create("redis://127.0.0.1:" + port);
        }

        @Bean(destroyMethod = "close")
        StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
            return client.connect();
        }
    }
}
