package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.bulkhead.SemaphoreBulkhead;
import dev.nines.bulkhead.SemaphoreBulkheadBuilder;
import dev.nines.bulkhead.ThreadPoolBulkhead;
import dev.nines.bulkhead.ThreadPoolBulkheadBuilder;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.circuitbreaker.CircuitBreakerBuilder;
import dev.nines.metrics.MetricsSink;
import dev.nines.ratelimit.KeyedRateLimiter;
import dev.nines.ratelimit.KeyedRateLimiterBuilder;
import dev.nines.ratelimit.Rate;
import dev.nines.ratelimit.RateLimiter;
import dev.nines.retry.Backoff;
import dev.nines.retry.Jitter;
import dev.nines.retry.Retry;
import dev.nines.retry.RetryBudget;
import dev.nines.retry.RetryBudgetBuilder;
import dev.nines.retry.RetryBuilder;
import dev.nines.spring.boot.autoconfigure.AdaptiveThrottleProperties.AdaptiveThrottleSettings;
import dev.nines.spring.boot.autoconfigure.BulkheadProperties.BulkheadSettings;
import dev.nines.spring.boot.autoconfigure.CircuitBreakerProperties.CircuitBreakerSettings;
import dev.nines.spring.boot.autoconfigure.CircuitBreakerProperties.OpenDurationGrowth;
import dev.nines.spring.boot.autoconfigure.KeyedRateLimiterProperties.KeyedRateLimiterSettings;
import dev.nines.spring.boot.autoconfigure.RateLimiterProperties.RateLimiterSettings;
import dev.nines.spring.boot.autoconfigure.RetryBudgetProperties.RetryBudgetSettings;
import dev.nines.spring.boot.autoconfigure.RetryProperties.BackoffSettings;
import dev.nines.spring.boot.autoconfigure.RetryProperties.BackoffType;
import dev.nines.spring.boot.autoconfigure.RetryProperties.RetrySettings;
import dev.nines.spring.boot.autoconfigure.ThreadPoolBulkheadProperties.ThreadPoolBulkheadSettings;
import dev.nines.spring.boot.autoconfigure.TimeoutProperties.TimeoutSettings;
import dev.nines.shedding.throttle.AdaptiveThrottle;
import dev.nines.shedding.throttle.AdaptiveThrottleBuilder;
import dev.nines.timeout.Timeout;
import dev.nines.timeout.TimeoutBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;

/**
 * Applies one instance's merged settings to its nines builder and builds it: the only place where
 * a property becomes a builder call. Unset properties are not passed, so the builder's defaults
 * hold. Errors are {@link IllegalArgumentException}s worded like the builders'
 * ({@code field must be X but was Y}), which {@link MergedSettings#problems} turns into property
 * paths. Stateless and thread-safe.
 */
final class PolicyBuilders {

    private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+)\\s*");

    private PolicyBuilders() {
    }

    static CircuitBreaker circuitBreaker(String name, CircuitBreakerSettings s, MetricsSink metrics) {
        CircuitBreakerBuilder b = CircuitBreaker.builder(name);
        set(s.getFailureRateThreshold(), b::failureRateThreshold);
        set(s.getSlowCallRateThreshold(), b::slowCallRateThreshold);
        set(s.getSlowCallDurationThreshold(), b::slowCallDurationThreshold);
        if (s.getCountWindow() != null && s.getTimeWindow() != null) {
            throw new IllegalArgumentException("countWindow must be unset when time-window is set but was "
                    + s.getCountWindow());
        }
        set(s.getCountWindow(), b::countWindow);
        set(s.getTimeWindow(), b::timeWindow);
        set(s.getMinimumCalls(), b::minimumCalls);
        set(s.getOpenDuration(), b::openDuration);
        OpenDurationGrowth growth = s.getOpenDurationGrowth();
        if (growth.getMultiplier() != null || growth.getMax() != null) {
            if (growth.getMultiplier() == null || growth.getMax() == null) {
                throw new IllegalArgumentException("openDurationGrowth must be both multiplier and max but was "
                        + (growth.getMultiplier() == null ? "max " + growth.getMax()
                                : "multiplier " + growth.getMultiplier()));
            }
            b.openDurationGrowth(growth.getMultiplier(), growth.getMax());
        }
        set(s.getHalfOpenProbes(), b::halfOpenProbes);
        set(s.getMaxProbeDuration(), b::maxProbeDuration);
        if (Boolean.TRUE.equals(s.getHalfOpenOnRequest())) {
            b.halfOpenOnRequest();
        }
        set(metrics, b::metrics);
        return b.build();
    }

    static RetryBudget retryBudget(String name, RetryBudgetSettings s, MetricsSink metrics) {
        RetryBudgetBuilder b = RetryBudget.builder(name);
        set(s.getRetryRatio(), b::retryRatio);
        set(s.getMinRetriesPerSecond(), b::minRetriesPerSecond);
        set(s.getMaxSavedRetries(), b::maxSavedRetries);
        set(metrics, b::metrics);
        return b.build();
    }

    static Retry retry(String name, RetrySettings s, MetricsSink metrics, Map<String, RetryBudget> budgets) {
        RetryBuilder b = Retry.builder(name);
        set(s.getMaxAttempts(), b::maxAttempts);
        set(s.getMaxDuration(), b::maxDuration);
        set(s.getMinAttemptTime(), b::minAttemptTime);
        set(backoff(s.getBackoff()), b::backoff);
        if (s.getBudget() != null) {
            RetryBudget budget = budgets.get(s.getBudget());
            if (budget == null) {
                throw new IllegalArgumentException("budget must be one of nines.retry-budget.instances "
                        + budgets.keySet() + " but was " + s.getBudget());
            }
            b.budget(budget);
        }
        set(metrics, b::metrics);
        return b.build();
    }

    /** The backoff the settings describe, or null to keep the retry's default. */
    private static Backoff backoff(BackoffSettings s) {
        if (s.getType() == null && s.getDelay() == null && s.getMultiplier() == null && s.getMax() == null
                && s.getJitter() == null) {
            return null;
        }
        BackoffType type = s.getType() == null ? BackoffType.EXPONENTIAL : s.getType();
        Jitter jitter = s.getJitter() == null ? Jitter.FULL : s.getJitter();
        try {
            return switch (type) {
                case NONE -> Backoff.none();
                case FIXED -> Backoff.fixed(required(s.getDelay(), "backoff delay", "fixed"), jitter);
                case EXPONENTIAL -> Backoff.exponential(s.getDelay() == null ? Duration.ofMillis(100) : s.getDelay(),
                        s.getMultiplier() == null ? 2.0 : s.getMultiplier(),
                        s.getMax() == null ? Duration.ofSeconds(10) : s.getMax(), jitter);
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("backoff")) {
                throw e;
            }
            throw new IllegalArgumentException("backoff must be a valid " + type.name().toLowerCase()
                    + " backoff but was " + describe(s) + " (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(BackoffSettings s) {
        return "delay " + s.getDelay() + ", multiplier " + s.getMultiplier() + ", max " + s.getMax();
    }

    private static <T> T required(T value, String field, String type) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set for a " + type + " backoff but was unset");
        }
        return value;
    }

    static Timeout timeout(String name, TimeoutSettings s, MetricsSink metrics) {
        TimeoutBuilder b = Timeout.builder(name);
        set(s.getTimeout(), b::timeout);
        set(s.getVirtualThreads(), b::virtualThreads);
        set(metrics, b::metrics);
        return b.build();
    }

    static SemaphoreBulkhead bulkhead(String name, BulkheadSettings s, MetricsSink metrics) {
        SemaphoreBulkheadBuilder b = SemaphoreBulkhead.builder(name);
        set(s.getMaxConcurrent(), b::maxConcurrent);
        set(s.getMaxWait(), b::maxWait);
        set(metrics, b::metrics);
        return b.build();
    }

    static ThreadPoolBulkhead threadPoolBulkhead(String name, ThreadPoolBulkheadSettings s, MetricsSink metrics) {
        ThreadPoolBulkheadBuilder b = ThreadPoolBulkhead.builder(name);
        set(s.getMaxThreads(), b::maxThreads);
        set(s.getQueueCapacity(), b::queueCapacity);
        set(s.getKeepAlive(), b::keepAlive);
        set(s.getVirtualThreads(), b::virtualThreads);
        set(metrics, b::metrics);
        return b.build();
    }

    static RateLimiter rateLimiter(String name, RateLimiterSettings s, MetricsSink metrics) {
        var b = RateLimiter.builder(name);
        b.limit(rate(s.getLimit(), s.getBurst()));
        set(metrics, b::metrics);
        return b.build();
    }

    static KeyedRateLimiter keyedRateLimiter(String name, KeyedRateLimiterSettings s, MetricsSink metrics) {
        KeyedRateLimiterBuilder b = KeyedRateLimiter.builder(name);
        b.limit(rate(s.getLimit(), s.getBurst()));
        set(s.getMaxKeys(), b::maxKeys);
        set(metrics, b::metrics);
        return b.build();
    }

    static AdaptiveThrottle adaptiveThrottle(String name, AdaptiveThrottleSettings s, MetricsSink metrics) {
        AdaptiveThrottleBuilder b = AdaptiveThrottle.builder(name);
        set(s.getK(), b::k);
        set(s.getMaxRejectProbability(), b::maxRejectProbability);
        if (s.getWindow() != null || s.getBuckets() != null) {
            b.window(s.getWindow() == null ? Duration.ofMinutes(2) : s.getWindow(),
                    s.getBuckets() == null ? 20 : s.getBuckets());
        }
        set(metrics, b::metrics);
        return b.build();
    }

    /**
     * Parses a rate, {@code "100/1s"}, {@code "100/s"} or {@code "6000/1m"}: permits, a slash, and
     * the period as a Spring duration (a bare unit means one of it), with an optional burst.
     */
    static Rate rate(String text, Long burst) {
        if (text == null) {
            throw new IllegalArgumentException("limit must be set, like 100/1s, but was unset");
        }
        Matcher m = RATE.matcher(text);
        Duration period = null;
        long permits = 0;
        if (m.matches()) {
            String p = m.group(2);
            try {
                period = DurationStyle.detectAndParse(Character.isDigit(p.charAt(0)) ? p : "1" + p);
                permits = Long.parseLong(m.group(1));
            } catch (IllegalArgumentException e) {
                period = null; // a NumberFormatException too
            }
        }
        if (period == null) {
            throw new IllegalArgumentException("limit must be permits/period, like 100/1s, 100/s or 6000/1m, but was '"
                    + text + "'");
        }
        Rate.Builder rate = Rate.builder().permits(permits).period(period);
        if (burst != null) {
            rate.burst(burst);
        }
        try {
            return rate.build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("burst")) {
                throw e;
            }
            throw new IllegalArgumentException("limit must be a valid rate but was '" + text + "' ("
                    + message.replace("; ", ", ") + ")", e);
        }
    }

    static <T> void set(T value, Consumer<? super T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
