package dev.nines.shedding;

import dev.nines.Ticker;
import dev.nines.internal.Reconfiguration;
import dev.nines.shedding.internal.Admission;
import dev.nines.shedding.internal.PriorityAdmission;
import dev.nines.shedding.internal.SettableLimit;
import dev.nines.shedding.limit.ConcurrencyLimit;
import dev.nines.shedding.limit.FixedLimit;
import dev.nines.shedding.limit.GradientLimit;
import java.util.Arrays;

/**
 * What {@link LoadShedder#reconfigure} may change and what it refuses: the fixed limit's value and
 * the priorities' shares change; everything else is fixed at build time and a different value is
 * refused, naming it. Stateless.
 */
final class ShedderChanges {

    private ShedderChanges() {
    }

    /**
     * Checks {@code next} against {@code current}, for a shedder whose live fixed limit is
     * {@code settable} (null when its limit is adaptive or custom).
     *
     * @throws IllegalArgumentException naming every refused setting with both values
     */
    static void check(LoadShedderConfig current, LoadShedderConfig next, SettableLimit settable) {
        Reconfiguration r = Reconfiguration.of(current.wiring(), next.wiring());
        checkLimit(r, current.limit(), next.limit(), settable != null);
        r.fixed("sampleEvery", current.sampleEvery(), next.sampleEvery())
                .fixed("defaultPriority", current.defaultPriority(), next.defaultPriority())
                .fixed("tierHold", current.tierHold(), next.tierHold())
                .fixed("listeners", current.listeners(), next.listeners())
                .fixed("queueCapacity", current.queueCapacity(), next.queueCapacity())
                .fixed("maxQueueWait", current.maxQueueWait(), next.maxQueueWait())
                .fixed("codelTarget", current.codelTarget(), next.codelTarget())
                .fixed("codelInterval", current.codelInterval(), next.codelInterval())
                .fixed("cpuLoad", current.cpuLoad(), next.cpuLoad())
                .fixed("cpuThreshold", current.cpuThreshold(), next.cpuThreshold())
                .fixed("cpuSampleInterval", current.cpuSampleInterval(), next.cpuSampleInterval())
                .fixed("failures", current.failures(), next.failures())
                .fixed("drops", current.drops(), next.drops())
                .throwIfRefused();
    }

    private static void checkLimit(Reconfiguration r, ConcurrencyLimit current, ConcurrencyLimit next, boolean fixed) {
        if (fixed) {
            r.check(next instanceof FixedLimit, "limit cannot change from fixed to adaptive at run time (was "
                    + current + ", given " + next + ")");
        } else if (current instanceof GradientLimit g) {
            // toBuilder() gives a shedder a fresh gradient limit: the same settings are the same limit
            boolean same = next instanceof GradientLimit n && g.toBuilder().toString().equals(n.toBuilder().toString());
            r.check(same, "limit: an adaptive limit's settings (bounds included) cannot change at run time, it keeps "
                    + "what it learned; build a new shedder to change them (was " + g.toBuilder() + ", given "
                    + (next instanceof GradientLimit n ? n.toBuilder() : next) + ")");
        } else {
            r.check(next == current, "limit: a custom limit cannot change at run time "
                    + "(was " + current + ", given " + next + ")");
        }
    }

    /**
     * Checks {@code next} (see {@link #check}) and applies it: the fixed limit's value, the shares if
     * they differ, then thresholds republished and waiters let in if they now fit. Under the
     * shedder's reconfiguration lock.
     *
     * @throws IllegalArgumentException as {@link #check}, before anything changed
     */
    static void apply(LoadShedderConfig current, LoadShedderConfig next, SettableLimit settable,
            PriorityAdmission admission, Admission blocking, Ticker ticker) {
        check(current, next, settable);
        if (settable != null) {
            settable.set(next.limit().currentLimit());
        }
        boolean published = Arrays.equals(current.shares(), next.shares()) ? admission.republish()
                : admission.setShares(next.shares());
        if (published && blocking.hasWaiters()) {
            blocking.drain(ticker.read()); // a higher limit or share may admit waiters
        }
    }
}
