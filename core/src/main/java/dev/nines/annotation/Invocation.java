package dev.nines.annotation;

import java.lang.reflect.Method;

/**
 * A call that came in through an annotated method: the proxy's (and the web filters') call
 * objects implement it, so a policy built from an annotation can read what was invoked, for example
 * a {@code @WithFallback} that calls another method with the same arguments.
 *
 * <p>A policy finds it by checking the call it is given: {@code call instanceof Invocation inv}.
 * Only the outermost policies are guaranteed to see it; inner ones may be handed a wrapper.
 */
public interface Invocation {

    /** The invoked method (for a proxy, the interface method). */
    Method method();

    /** The arguments, never null; do not modify. */
    Object[] arguments();
}
