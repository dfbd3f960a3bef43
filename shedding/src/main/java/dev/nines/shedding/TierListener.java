package dev.nines.shedding;

/**
 * Told when a {@link LoadShedder}'s published {@link Tier} changes, for example to switch
 * recommendations off at {@link Tier#REDUCED}. Changes are delivered one at a time, in the order
 * they happened (each {@code from} is the previous {@code to}, and the last one delivered is the
 * current tier), however many threads cause them. A change is delivered on a thread that made a
 * change (an admission, a release, a tier or gauge read, {@code forceTier}) or on the tier timer's
 * thread, and that thread may deliver other threads' changes as well, so a listener must be quick
 * and must not block. A listener that throws is logged once and otherwise ignored: it never breaks
 * the call that triggered it.
 */
@FunctionalInterface
public interface TierListener {

    /** The tier moved from {@code from} to {@code to}. */
    void onTierChange(LoadShedder shedder, Tier from, Tier to);
}
