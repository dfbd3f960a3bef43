package dev.nines.spring.boot.autoconfigure.internal;

import static dev.nines.spring.boot.autoconfigure.internal.PolicyBuilders.set;

import dev.nines.Priority;
import dev.nines.metrics.MetricsSink;
import dev.nines.shedding.CpuLoad;
import dev.nines.shedding.LoadShedder;
import dev.nines.shedding.LoadShedderBuilder;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.limit.GradientLimit;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties.CpuSignal;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties.GradientSettings;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties.LimitType;
import dev.nines.spring.boot.autoconfigure.LoadShedderProperties.LoadShedderSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Builds a {@link LoadShedder} from its merged settings: a fixed or gradient limit, priority
 * shares, the waiting queue and the CPU signal. Stateless and thread-safe.
 */
final class ShedderBuilder {

    private ShedderBuilder() {
    }

    static LoadShedder loadShedder(String name, LoadShedderSettings s, MetricsSink metrics) {
        LoadShedderBuilder b = LoadShedder.builder(name);
        LimitType type = s.getLimitType() == null ? LimitType.FIXED : s.getLimitType();
        if (type == LimitType.GRADIENT) {
            if (s.getLimit() != null) {
                throw new IllegalArgumentException("limit must be unset when limit-type is gradient but was "
                        + s.getLimit());
            }
            b.limit(gradient(s.getGradient()));
        } else if (s.getLimit() != null) {
            b.limit(ConcurrencyLimit.fixed(s.getLimit()));
        }
        set(s.getSampleEvery(), b::sampleEvery);
        set(s.getDefaultPriority(), b::defaultPriority);
        for (Map.Entry<Priority, Double> share : s.getShares().entrySet()) {
            b.share(share.getKey(), share.getValue());
        }
        set(s.getTierHold(), b::tierHold);
        if (s.getQueueCapacity() != null || s.getMaxQueueWait() != null) {
            b.queue(s.getQueueCapacity() == null ? 0 : s.getQueueCapacity(),
                    s.getMaxQueueWait() == null ? Duration.ofMillis(100) : s.getMaxQueueWait());
        }
        if (s.getCodelTarget() != null || s.getCodelInterval() != null) {
            b.codel(s.getCodelTarget() == null ? Duration.ofMillis(5) : s.getCodelTarget(),
                    s.getCodelInterval() == null ? Duration.ofMillis(100) : s.getCodelInterval());
        }
        CpuSignal cpu = s.getCpuSignal() == null ? CpuSignal.NONE : s.getCpuSignal();
        if (cpu != CpuSignal.NONE) {
            DoubleSupplier load = cpu == CpuSignal.PROCESS ? CpuLoad.process() : CpuLoad.system();
            b.cpuSignal(load, s.getCpuThreshold() == null ? 0.9 : s.getCpuThreshold(),
                    s.getCpuSampleInterval() == null ? Duration.ofSeconds(1) : s.getCpuSampleInterval());
        } else if (s.getCpuThreshold() != null || s.getCpuSampleInterval() != null) {
            throw new IllegalArgumentException("cpuSignal must be process or system when cpu-threshold or"
                    + " cpu-sample-interval is set but was none");
        }
        set(metrics, b::metrics);
        return b.build();
    }

    private static GradientLimit gradient(GradientSettings g) {
        GradientLimit.Builder b = GradientLimit.builder();
        set(g.getInitialLimit(), b::initialLimit);
        set(g.getMinLimit(), b::minLimit);
        set(g.getMaxLimit(), b::maxLimit);
        set(g.getSmoothing(), b::smoothing);
        set(g.getTolerance(), b::tolerance);
        set(g.getWindow(), b::window);
        set(g.getMinWindowSamples(), b::minWindowSamples);
        set(g.getBaselineDecay(), b::baselineDecay);
        set(g.getBackoffRatio(), b::backoffRatio);
        set(g.getAppLimitedFraction(), b::appLimitedFraction);
        set(g.getResetAfterWindows(), b::resetAfterWindows);
        set(g.getRecoveryWindows(), b::recoveryWindows);
        return b.build();
    }
}
