package dev.nines.demo;

import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Pipeline;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerOpenException;
import dev.nines.fallback.Fallback;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.Rate;
import dev.nines.retry.Backoff;
import dev.nines.retry.Jitter;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.timeout.Timeout;
import dev.nines.web.ClientKeyResolver;
import dev.nines.web.EndpointGuard;
import dev.nines.web.HealthEndpoint;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything nines adds to the shop, built once per protected run and all reporting to one
 * {@link InMemoryMetrics}:
 *
 * <ul>
 *   <li>inbound, per endpoint ({@link #guard}): the per-client rate limit (one token bucket per
 *       {@code X-Api-Key}), then priority admission by one {@link LoadShedder} shared by all
 *       endpoints, with a small priority-ordered waiting queue;</li>
 *   <li>outbound, per endpoint ({@link #backend}):
 *       {@code Fallback(Retry(CircuitBreaker(Timeout(call))))}, with one breaker and one retry
 *       budget per dependency, and a fallback serving the endpoint's degraded answer.</li>
 * </ul>
 */
final class Protection {

    /** The header that tells clients apart. */
    static final String API_KEY = "X-Api-Key";

    private final InMemoryMetrics metrics;
    private final KeyedRateLimiter perClient;
    private final LoadShedder shedder;
    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final Map<Endpoint, Pipeline> outbound = new EnumMap<>(Endpoint.class);
    private final Dependencies dependencies;
    private final ClientKeyResolver keys = ClientKeyResolver.header(API_KEY, ClientKeyResolver.remoteAddress());

    Protection(GameConfig config, Dependencies dependencies, Ticker ticker) {
        this.dependencies = dependencies;
        this.metrics = new InMemoryMetrics(ticker, 1024);
        this.perClient = KeyedRateLimiter.builder("per-client").limit(Rate.perSecond(config.clientLimitPerSecond))
                .maxKeys(10_000).ticker(ticker).metrics(metrics).build();
        this.shedder = LoadShedder.builder("shop")
                .limit(FixedLimit.of(config.shedderLimit))
                .share(Priority.P1, 0.75).share(Priority.P2, 0.5).share(Priority.P3, 0.35)
                .queue(config.queueCapacity, Duration.ofMillis(100))
                .codel(Duration.ofMillis(25), Duration.ofMillis(250))
                .tierHold(Duration.ofSeconds(1))
                .ticker(ticker).metrics(metrics).build();
        Map<String, RetryBudget> budgets = new LinkedHashMap<>();
        for (String name : dependencies.names()) {
            breakers.put(name, CircuitBreaker.builder(name)
                    .failureRateThreshold(0.5).slowCallRateThreshold(0.8)
                    .slowCallDurationThreshold(config.dependencyTimeout.dividedBy(2))
                    .countWindow(20).minimumCalls(10)
                    .openDuration(Duration.ofSeconds(1)).halfOpenProbes(3)
                    .ticker(ticker).metrics(metrics).build());
            budgets.put(name, RetryBudget.builder(name + "-budget").retryRatio(0.1).minRetriesPerSecond(5)
                    .ticker(ticker).metrics(metrics).build());
        }
        for (Endpoint e : Endpoint.values()) {
            String dep = e.dependency();
            String name = e.name().toLowerCase(java.util.Locale.ROOT);
            outbound.put(e, Pipeline.named(name + "-outbound", java.util.List.of(
                    Fallback.builder(name + "-fallback").value(new Answer(e.degradedBody(), true))
                            .metrics(metrics).build(),
                    Retry.builder(name + "-retry").maxAttempts(2)
                            .backoff(Backoff.fixed(Duration.ofMillis(5), Jitter.FULL))
                            .failures(FailureFilter.exceptions().ignoring(CircuitBreakerOpenException.class))
                            .budget(budgets.get(dep)).ticker(ticker).metrics(metrics).build(),
                    breakers.get(dep),
                    Timeout.builder(name + "-timeout").timeout(config.dependencyTimeout)
                            .ticker(ticker).metrics(metrics).build()))
                    .withMetrics(metrics, ticker));   // one request event per outbound call
        }
    }

    /** The inbound guard of {@code endpoint}: rate limit per client, then admission by priority. */
    EndpointGuard guard(Endpoint endpoint) {
        return EndpointGuard.builder(endpoint.name().toLowerCase(java.util.Locale.ROOT))
                .clientKeys(keys)
                .priority(endpoint.priority())
                .policies(perClient, shedder)
                .build();
    }

    /** The outbound calls through fallback, retry, breaker and timeout. */
    Backend backend() {
        return endpoint -> outbound.get(endpoint).call(CallContext.empty(),
                ctx -> new Answer(endpoint.freshBody(dependencies.get(endpoint.dependency()).call()), false));
    }

    /** The health endpoint: breakers (catalog critical for nothing; payments critical) and the shedder. */
    HealthEndpoint health() {
        HealthEndpoint.Builder b = HealthEndpoint.builder().shedder(shedder);
        breakers.forEach((name, breaker) -> b.breaker(breaker, name.equals(Downstream.PAYMENTS)));
        return b.build();
    }

    InMemoryMetrics metrics() {
        return metrics;
    }

    LoadShedder shedder() {
        return shedder;
    }

    /** The breakers by dependency name. */
    Map<String, CircuitBreaker> breakers() {
        return breakers;
    }
}
