package dev.nines.shedding;

/**
 * Told when a {@link LoadShedder}'s published {@link Tier} changes, for example to switch
 * recommendations off at {@link Tier#REDUCED}. Called on the thread whose admission or release
 * changed the tier, so it must be quick and must not block. A listener that throws is logged once
 * and otherwise ignored: it never breaks the call that triggered it.
 * Implementations must be thread-safe: concurrent admissions and releases may change the tier, and
 * each change is reported on the thread that made it, so calls may overlap.
 */
@FunctionalInterface
public interface TierListener {

    /** The tier moved from {@code from} to {@code to}. */
    void onTierChange(LoadShedder shedder, Tier from, Tier to);
}
