package dev.nines.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.nines.Transition}: a stateful policy other than a load shedder (a
 * circuit breaker) changed state. Disabled by default. Emitted by {@link NinesEvents}. Not part of
 * the public API: the event's name and fields are.
 */
@Name("dev.nines.Transition")
@Label("nines Transition")
@Category({"nines"})
@Description("A nines policy changed state, such as a circuit breaker opening")
@Enabled(false)
@StackTrace(false)
public final class TransitionEvent extends jdk.jfr.Event {
    @Label("Policy")
    String policy;
    @Label("Kind")
    String kind;
    @Label("From")
    String fromState;
    @Label("To")
    String toState;
}
