package dev.nines.spring.boot.autoconfigure;

import dev.nines.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.load-shedder.*} configuration: load shedders (admission by priority under a concurrency limit), as {@code defaults} and per-name
 * {@code instances}. Each instance is the defaults overridden by its own entries, built at startup
 * and registered in the application's {@link dev.nines.annotation.PolicyRegistry} under its name.
 * A key that is not listed here fails the startup. Unset values keep the builder's default. Not
 * thread-safe: bound once by Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.load-shedder", ignoreUnknownFields = false)
public class LoadShedderProperties {

    /** Settings every instance starts from. */
    private LoadShedderSettings defaults = new LoadShedderSettings();

    /**
     * The instances by name; a name with dots must be written in brackets:
     * {@code "[PaymentClient.charge]"}.
     */
    private Map<String, LoadShedderSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public LoadShedderProperties() {
    }

    /** @return the settings every instance starts from */
    public LoadShedderSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every instance starts from */
    public void setDefaults(LoadShedderSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the instances by name */
    public Map<String, LoadShedderSettings> getInstances() {
        return instances;
    }

    /** @param instances the instances by name */
    public void setInstances(Map<String, LoadShedderSettings> instances) {
        this.instances = instances;
    }

    /** The settings of one instance; {@code null} means unset. Not thread-safe. */
    public static class LoadShedderSettings {

        /** The limit algorithm: fixed (limit) or gradient (the gradient.* settings, adapting to latency). Default fixed. */
        private LimitType limitType;

        /** The fixed concurrency limit, at least 1. Default 100. */
        private Integer limit;

        /** The adaptive (gradient) limit, used when limit-type is gradient; unset values keep its defaults. */
        private GradientSettings gradient = new GradientSettings();

        /** Time one admission in this many for the limit's latency samples; a power of two. Default 8. */
        private Integer sampleEvery;

        /** The priority of calls whose context has none: P0 (most important) to P3. Default P2. */
        private Priority defaultPriority;

        /** The share of the limit each priority may use, a fraction in (0, 1], not growing from P0 to P3. Defaults P0 1.0, P1 0.9, P2 0.7, P3 0.5. */
        private Map<Priority, Double> shares = new LinkedHashMap<>();

        /** How long a priority counts as shed, for the tier, after its last rejection. Default 1s. */
        private Duration tierHold;

        /** Blocking callers that may wait for a slot, in priority order. Default 0 (no queue). */
        private Integer queueCapacity;

        /** The longest wait in the queue. Default 100ms. */
        private Duration maxQueueWait;

        /** The CoDel target of the waiting queue. Default 5ms. */
        private Duration codelTarget;

        /** The CoDel interval of the waiting queue. Default 100ms. */
        private Duration codelInterval;

        /** Report completions as overload while CPU load is high: none, process or system (needs a gradient limit). Default none. */
        private CpuSignal cpuSignal;

        /** The CPU load, a fraction in (0, 1], at or above which the signal is on. Default 0.9. */
        private Double cpuThreshold;

        /** How often the CPU load is read at most. Default 1s. */
        private Duration cpuSampleInterval;

        /** Whether this instance counts for readiness: while its tier is CRITICAL_ONLY (it admits P0 alone) the readiness group of the health endpoint is DOWN. Default false. */
        private Boolean critical;

        /** Created by Spring's binder. */
        public LoadShedderSettings() {
        }

        /** @return the limit-type setting */
        public LimitType getLimitType() {
            return limitType;
        }

        /** @param limitType the limit-type setting */
        public void setLimitType(LimitType limitType) {
            this.limitType = limitType;
        }

        /** @return the limit setting */
        public Integer getLimit() {
            return limit;
        }

        /** @param limit the limit setting */
        public void setLimit(Integer limit) {
            this.limit = limit;
        }

        /** @return the gradient setting */
        public GradientSettings getGradient() {
            return gradient;
        }

        /** @param gradient the gradient setting */
        public void setGradient(GradientSettings gradient) {
            this.gradient = gradient;
        }

        /** @return the sample-every setting */
        public Integer getSampleEvery() {
            return sampleEvery;
        }

        /** @param sampleEvery the sample-every setting */
        public void setSampleEvery(Integer sampleEvery) {
            this.sampleEvery = sampleEvery;
        }

        /** @return the default-priority setting */
        public Priority getDefaultPriority() {
            return defaultPriority;
        }

        /** @param defaultPriority the default-priority setting */
        public void setDefaultPriority(Priority defaultPriority) {
            this.defaultPriority = defaultPriority;
        }

        /** @return the shares setting */
        public Map<Priority, Double> getShares() {
            return shares;
        }

        /** @param shares the shares setting */
        public void setShares(Map<Priority, Double> shares) {
            this.shares = shares;
        }

        /** @return the tier-hold setting */
        public Duration getTierHold() {
            return tierHold;
        }

        /** @param tierHold the tier-hold setting */
        public void setTierHold(Duration tierHold) {
            this.tierHold = tierHold;
        }

        /** @return the queue-capacity setting */
        public Integer getQueueCapacity() {
            return queueCapacity;
        }

        /** @param queueCapacity the queue-capacity setting */
        public void setQueueCapacity(Integer queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        /** @return the max-queue-wait setting */
        public Duration getMaxQueueWait() {
            return maxQueueWait;
        }

        /** @param maxQueueWait the max-queue-wait setting */
        public void setMaxQueueWait(Duration maxQueueWait) {
            this.maxQueueWait = maxQueueWait;
        }

        /** @return the codel-target setting */
        public Duration getCodelTarget() {
            return codelTarget;
        }

        /** @param codelTarget the codel-target setting */
        public void setCodelTarget(Duration codelTarget) {
            this.codelTarget = codelTarget;
        }

        /** @return the codel-interval setting */
        public Duration getCodelInterval() {
            return codelInterval;
        }

        /** @param codelInterval the codel-interval setting */
        public void setCodelInterval(Duration codelInterval) {
            this.codelInterval = codelInterval;
        }

        /** @return the cpu-signal setting */
        public CpuSignal getCpuSignal() {
            return cpuSignal;
        }

        /** @param cpuSignal the cpu-signal setting */
        public void setCpuSignal(CpuSignal cpuSignal) {
            this.cpuSignal = cpuSignal;
        }

        /** @return the cpu-threshold setting */
        public Double getCpuThreshold() {
            return cpuThreshold;
        }

        /** @param cpuThreshold the cpu-threshold setting */
        public void setCpuThreshold(Double cpuThreshold) {
            this.cpuThreshold = cpuThreshold;
        }

        /** @return the cpu-sample-interval setting */
        public Duration getCpuSampleInterval() {
            return cpuSampleInterval;
        }

        /** @param cpuSampleInterval the cpu-sample-interval setting */
        public void setCpuSampleInterval(Duration cpuSampleInterval) {
            this.cpuSampleInterval = cpuSampleInterval;
        }

        /** @return the critical setting */
        public Boolean getCritical() {
            return critical;
        }

        /** @param critical the critical setting */
        public void setCritical(Boolean critical) {
            this.critical = critical;
        }
    }

    /** A gradient limit's settings; {@code null} means unset. Not thread-safe. */
    public static class GradientSettings {

        /** The limit before the first window closes. */
        private Integer initialLimit;

        /** The lowest the limit goes, at least 1. */
        private Integer minLimit;

        /** The highest the limit goes. */
        private Integer maxLimit;

        /** How far each window moves the limit towards its target, in (0, 1]; lower is steadier. */
        private Double smoothing;

        /** How much slower than the baseline calls may get before the limit shrinks, at least 1. */
        private Double tolerance;

        /** The shortest sampling window. */
        private Duration window;

        /** The fewest latency samples a window needs before it closes. */
        private Integer minWindowSamples;

        /** The share of the gap the baseline moves up per calm window, in [0, 1). */
        private Double baselineDecay;

        /** The factor applied to the limit in a window with a dropped call, in [0.5, 1). */
        private Double backoffRatio;

        /** In-flight must reach this share of the limit in a window for the limit to grow, in [0, 1]. */
        private Double appLimitedFraction;

        /** Windows at min-limit after which the baseline is relearned, at least 1. */
        private Integer resetAfterWindows;

        /** Consecutive windows without pressure after which the limit moves back towards the one held before pressure began. */
        private Integer recoveryWindows;

        /** Created by Spring's binder. */
        public GradientSettings() {
        }

        /** @return the initial-limit setting */
        public Integer getInitialLimit() {
            return initialLimit;
        }

        /** @param initialLimit the initial-limit setting */
        public void setInitialLimit(Integer initialLimit) {
            this.initialLimit = initialLimit;
        }

        /** @return the min-limit setting */
        public Integer getMinLimit() {
            return minLimit;
        }

        /** @param minLimit the min-limit setting */
        public void setMinLimit(Integer minLimit) {
            this.minLimit = minLimit;
        }

        /** @return the max-limit setting */
        public Integer getMaxLimit() {
            return maxLimit;
        }

        /** @param maxLimit the max-limit setting */
        public void setMaxLimit(Integer maxLimit) {
            this.maxLimit = maxLimit;
        }

        /** @return the smoothing setting */
        public Double getSmoothing() {
            return smoothing;
        }

        /** @param smoothing the smoothing setting */
        public void setSmoothing(Double smoothing) {
            this.smoothing = smoothing;
        }

        /** @return the tolerance setting */
        public Double getTolerance() {
            return tolerance;
        }

        /** @param tolerance the tolerance setting */
        public void setTolerance(Double tolerance) {
            this.tolerance = tolerance;
        }

        /** @return the window setting */
        public Duration getWindow() {
            return window;
        }

        /** @param window the window setting */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** @return the min-window-samples setting */
        public Integer getMinWindowSamples() {
            return minWindowSamples;
        }

        /** @param minWindowSamples the min-window-samples setting */
        public void setMinWindowSamples(Integer minWindowSamples) {
            this.minWindowSamples = minWindowSamples;
        }

        /** @return the baseline-decay setting */
        public Double getBaselineDecay() {
            return baselineDecay;
        }

        /** @param baselineDecay the baseline-decay setting */
        public void setBaselineDecay(Double baselineDecay) {
            this.baselineDecay = baselineDecay;
        }

        /** @return the backoff-ratio setting */
        public Double getBackoffRatio() {
            return backoffRatio;
        }

        /** @param backoffRatio the backoff-ratio setting */
        public void setBackoffRatio(Double backoffRatio) {
            this.backoffRatio = backoffRatio;
        }

        /** @return the app-limited-fraction setting */
        public Double getAppLimitedFraction() {
            return appLimitedFraction;
        }

        /** @param appLimitedFraction the app-limited-fraction setting */
        public void setAppLimitedFraction(Double appLimitedFraction) {
            this.appLimitedFraction = appLimitedFraction;
        }

        /** @return the reset-after-windows setting */
        public Integer getResetAfterWindows() {
            return resetAfterWindows;
        }

        /** @param resetAfterWindows the reset-after-windows setting */
        public void setResetAfterWindows(Integer resetAfterWindows) {
            this.resetAfterWindows = resetAfterWindows;
        }

        /** @return the recovery-windows setting */
        public Integer getRecoveryWindows() {
            return recoveryWindows;
        }

        /** @param recoveryWindows the recovery-windows setting */
        public void setRecoveryWindows(Integer recoveryWindows) {
            this.recoveryWindows = recoveryWindows;
        }
    }

    /** The limit algorithms of {@link LoadShedderSettings#getLimitType()}. */
    public enum LimitType {
        /** A fixed concurrency limit. */
        FIXED,
        /** A limit that adapts to latency ({@link dev.nines.shedding.limit.GradientLimit}). */
        GRADIENT
    }

    /** The CPU load sources of {@link LoadShedderSettings#getCpuSignal()}. */
    public enum CpuSignal {
        /** No CPU signal. */
        NONE,
        /** This process's CPU load ({@link dev.nines.shedding.CpuLoad#process()}). */
        PROCESS,
        /** The whole machine's CPU load ({@link dev.nines.shedding.CpuLoad#system()}). */
        SYSTEM
    }
}
