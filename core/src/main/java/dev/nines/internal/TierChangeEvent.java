package dev.nines.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.nines.TierChange}: a load shedder moved to another shedding tier.
 * Disabled by default. Emitted by {@link NinesEvents}. Not part of the public API: the event's name
 * and fields are.
 */
@Name("dev.nines.TierChange")
@Label("nines Tier Change")
@Category({"nines"})
@Description("A nines load shedder changed the tier of priorities it sheds")
@Enabled(false)
@StackTrace(false)
public final class TierChangeEvent extends jdk.jfr.Event {
    @Label("Policy")
    String policy;
    @Label("From")
    String fromTier;
    @Label("To")
    String toTier;
}
