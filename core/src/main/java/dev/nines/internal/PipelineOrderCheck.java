package dev.nines.internal;

import dev.nines.Policy;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.fallback.Fallback;
import dev.nines.retry.Retry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches, when a {@code Pipeline} is built, an order that silently disables a policy: a
 * {@link Fallback} inside (after) a policy that must see failures replaces those failures with a
 * result before they get there.
 *
 * <ul>
 * <li><b>Inside a {@link CircuitBreaker}: refused</b> ({@link IllegalArgumentException}). The
 *     breaker counts none of the failures the fallback handles, so it never opens for them. If
 *     some failures should not count, the breaker says so itself (its {@code FailureFilter}:
 *     {@code failures(FailureFilter.exceptions().ignoring(...))}), with the fallback outside it.
 * <li><b>Inside a {@link Retry}: logged once</b> (WARN), since it may be meant: a fallback that
 *     handles only some failures ends the retrying with a value for those and lets the retry see
 *     the rest. A fallback that handles every failure leaves nothing to retry.
 * </ul>
 *
 * <p>Not part of the public API. Each distinct warning is logged once per class loader (at most
 * {@value #MAX_REMEMBERED} distinct ones; after that none). Thread-safe.
 */
public final class PipelineOrderCheck {

    private static final Logger LOG = LoggerFactory.getLogger("dev.nines.Pipeline");
    static final int MAX_REMEMBERED = 256;
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private PipelineOrderCheck() {
    }

    /**
     * Checks {@code policies} (flattened, outermost first) and logs each warning not logged before.
     *
     * @return the warnings for this order (each logged at most once, ever)
     * @throws IllegalArgumentException naming both positions and policies, for an order refused
     */
    public static List<String> check(List<? extends Policy> policies) {
        List<String> warnings = new ArrayList<>();
        for (int outer = 0; outer < policies.size(); outer++) {
            Policy o = policies.get(outer);
            boolean breaker = o instanceof CircuitBreaker;
            if (!breaker && !(o instanceof Retry)) {
                continue;
            }
            for (int inner = outer + 1; inner < policies.size(); inner++) {
                Policy i = policies.get(inner);
                if (!(i instanceof Fallback)) {
                    continue;
                }
                String where = "policies[" + inner + "] (fallback '" + i.name() + "') is inside policies[" + outer
                        + "] (" + (breaker ? "circuit breaker" : "retry") + " '" + o.name() + "')";
                if (breaker) {
                    throw new IllegalArgumentException(where + ": it replaces the failures the breaker counts, so"
                            + " the breaker never opens for them; put the fallback before (outside) the breaker, and"
                            + " have the breaker's failure filter ignore failures that should not count");
                }
                String warning = where + ": the retry never sees the failures the fallback handles, so it does not"
                        + " retry them; put the fallback before (outside) the retry unless that is meant";
                warnings.add(warning);
                warnOnce(warning);
            }
        }
        return warnings;
    }

    /** Logs {@code warning} unless it was logged before; whether it logged it now. */
    static boolean warnOnce(String warning) {
        if (LOGGED.size() >= MAX_REMEMBERED || !LOGGED.add(warning)) {
            return false;
        }
        LOG.warn("Pipeline order: {}", warning);
        return true;
    }
}
