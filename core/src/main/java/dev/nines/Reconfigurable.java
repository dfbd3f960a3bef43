package dev.nines;

/**
 * A policy whose settings can be replaced while it runs, keeping its state where that makes sense
 * (the permits a rate limiter holds, a breaker's state, a bulkhead's calls in flight).
 *
 * <p>A new configuration is made by the policy's own builder, where it is validated:
 * {@code limiter.reconfigure(limiter.toBuilder().limit(Rate.perSecond(50)).build().config())}, or the
 * {@code config()} of any instance built for the purpose. Building such an instance registers its
 * gauges under the shared name with the sink, for a moment in place of the live policy's; a
 * {@code reconfigure}, applied or refused, registers the live policy's gauges again. Through
 * a {@link dev.nines.annotation.PolicyRegistry} the same is
 * {@code registry.reconfigure(builtPolicy)}, which also tells the registry's listeners.
 *
 * <p>What each policy keeps and what it resets is documented on its {@code reconfigure}. A
 * configuration is refused with an {@link IllegalArgumentException} naming what, and the old one kept,
 * when its name differs or when it changes a setting that cannot change at run time: the ticker, the
 * metrics sink, the scheduler, and whatever the policy names. Each accepted change is reported to the
 * policy's metrics sink as a transition of kind {@link dev.nines.metrics.PolicyKinds#CONFIG}.
 * Implementations are thread-safe against concurrent calls and concurrent reconfigurations; calls
 * that start after {@code reconfigure} returns run under the new settings.
 *
 * @param <C> the policy's configuration type
 */
public interface Reconfigurable<C> {

    /** The settings in force now: those built with, or the last ones given to {@link #reconfigure}. */
    C config();

    /**
     * Applies {@code config}, made by this policy type's builder, keeping the state as documented by
     * the implementation.
     *
     * @throws IllegalArgumentException naming the name or setting, if {@code config} is for another
     *     policy or changes what cannot change at run time; the current settings stay in force
     * @throws NullPointerException if {@code config} is null
     */
    void reconfigure(C config);
}
