package dev.nines.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.nines.Rejection}: a policy refused or shed a call. Disabled by default;
 * enable it in a recording's settings. Emitted by {@link NinesEvents}. Not part of the public API:
 * the event's name and fields are.
 */
@Name("dev.nines.Rejection")
@Label("nines Rejection")
@Category({"nines"})
@Description("A nines policy refused a call (breaker open, bulkhead full, rate limited) or shed it")
@Enabled(false)
@StackTrace(false)
public final class RejectionEvent extends jdk.jfr.Event {
    @Label("Policy")
    String policy;
    @Label("Kind")
    String kind;
    @Label("Outcome")
    @Description("REJECTED or SHED")
    String outcome;
    @Label("Priority")
    @Description("The call's priority when the policy knew it, else null")
    String priority;
}
