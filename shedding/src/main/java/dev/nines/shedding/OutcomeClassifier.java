package dev.nines.shedding;

import dev.nines.RejectedCallException;
import dev.nines.metrics.Outcome;

/**
 * Says what an admitted call that ended with an exception means to a {@link LoadShedder}, as the
 * caller of a {@link Permit} says it with {@link Permit#success()}, {@link Permit#failure()},
 * {@link Permit#dropped()} or {@link Permit#ignore()}: the shedder never guesses it from the
 * exception type. Used by the policy forms ({@code execute}, {@code executeAsync}, a
 * {@code Pipeline}, {@code @WithPriority}, the web guard); configured with
 * {@link LoadShedderConfig.Builder#outcomeClassifier(OutcomeClassifier)}.
 *
 * <p>What each answer teaches the limit, and the outcome metrics record (the same value):
 * <ul>
 *   <li>{@link Outcome#SUCCESS}, {@link Outcome#FAILURE}: the call ran; its latency is a sample;</li>
 *   <li>{@link Outcome#TIMED_OUT}, {@link Outcome#REJECTED}, {@link Outcome#SHED}: the call was
 *       dropped, an overload signal of this service, so an adaptive limit backs off;</li>
 *   <li>{@link Outcome#IGNORED} (and any other): nothing.</li>
 * </ul>
 * A {@link java.util.concurrent.CompletionException} from an asynchronous call is unwrapped first.
 * A classifier that throws or returns {@code null} neither breaks the call nor leaks its slot: the
 * outcome is then {@link Outcome#IGNORED} (the throwable is logged once).
 *
 * <p>Implementations must be thread-safe and should be cheap; they run on the completing thread.
 */
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * The outcome of an admitted call that threw or completed exceptionally with {@code failure}.
     *
     * @param failure what the call threw (never {@code null})
     */
    Outcome classify(Throwable failure);

    /**
     * The default: a {@link RejectedCallException} raised inside the call (a downstream breaker
     * open, a downstream rate limit, a full bulkhead, an inner timeout) is {@link Outcome#IGNORED},
     * since another policy's refusal says nothing about this service's own capacity; so is an
     * {@link InterruptedException}; anything else is a {@link Outcome#FAILURE}, whose latency is a
     * sample. To count, say, an inner timeout as an overload signal, delegate to this one:
     * {@code t -> t instanceof TimeoutExceededException ? Outcome.TIMED_OUT : OutcomeClassifier.standard().classify(t)}.
     */
    static OutcomeClassifier standard() {
        return StandardOutcomes.INSTANCE;
    }
}

/** The {@link OutcomeClassifier#standard()} classifier. Stateless and thread-safe. */
enum StandardOutcomes implements OutcomeClassifier {
    INSTANCE;

    @Override
    public Outcome classify(Throwable failure) {
        return failure instanceof RejectedCallException || failure instanceof InterruptedException
                ? Outcome.IGNORED : Outcome.FAILURE;
    }
}
