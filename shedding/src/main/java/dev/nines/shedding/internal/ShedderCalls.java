package dev.nines.shedding.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.internal.Settlement;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.OutcomeClassifier;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.ShedException.Reason;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The shedder's policy path: a pipeline call's priority from its context, a passed deadline shed
 * at once, admission (the synchronous form may wait, the asynchronous one never does) and the
 * release of the slot with the outcome the configured {@link OutcomeClassifier} gives a call that
 * threw. One clock reading serves the deadline and the admission when both use the shedder's ticker.
 *
 * <p>Thread-safe. Allocates nothing on the synchronous success path; the asynchronous form allocates
 * what watching the stage needs, and a rejection its {@link ShedException}.
 */
public final class ShedderCalls {

    /** Releases an admitted call's slot exactly once: the shedder's {@code release(token, priority, outcome)}. */
    @FunctionalInterface
    public interface Release {
        /** Releases the slot of {@code token}, admitted at {@code priority}, with {@code outcome}. */
        void release(long token, Priority priority, Outcome outcome);
    }

    private final Priority defaultPriority;
    private final Ticker ticker;
    private final PriorityAdmission admission;
    private final Admission blocking;
    private final ShedRecorder recorder;
    private final OutcomeClassifier classifier;
    private final Guarded guard;
    private final Release release;

    /**
     * @param defaultPriority the priority of a call whose context names none
     * @param ticker          the shedder's ticker
     * @param admission       non-waiting admission, for the asynchronous form
     * @param blocking        admission that may wait, for the synchronous form
     * @param recorder        records rejections and builds their exceptions
     * @param classifier      says what a call that threw means
     * @param guard           logs a classifier that throws
     * @param release         releases an admitted call's slot
     */
    public ShedderCalls(Priority defaultPriority, Ticker ticker, PriorityAdmission admission, Admission blocking,
            ShedRecorder recorder, OutcomeClassifier classifier, Guarded guard, Release release) {
        this.defaultPriority = defaultPriority;
        this.ticker = ticker;
        this.admission = admission;
        this.blocking = blocking;
        this.recorder = recorder;
        this.classifier = classifier;
        this.guard = guard;
        this.release = release;
    }

    /** Runs {@code call} through {@code next} if admitted, waiting if a queue is configured; see {@link dev.nines.Policy#execute}. */
    public <T> T execute(CallContext context, Callable<T> call, Next next) throws Exception {
        Priority priority = context.priorityOr(defaultPriority);
        long token;
        if (!context.hasDeadline()) {
            token = blocking.admit(priority, WaitQueue.NO_DEADLINE, false, 0L);
        } else if (context.deadlineTicker() == ticker) { // one reading serves the deadline and the admission
            long now = ticker.read();
            token = blocking.admit(priority, remaining(context.remainingNanos(now), priority, true, now), true, now);
        } else {
            token = blocking.admit(priority, remaining(context.remainingNanos(), priority, false, 0L), false, 0L);
        }
        T result;
        try {
            result = next.call(context, call);
        } catch (Throwable t) {
            release.release(token, priority, outcomeOf(t));
            throw t;
        }
        release.release(token, priority, Outcome.SUCCESS);
        return result;
    }

    /** Starts {@code call} through {@code next} if admitted now, never waiting; see {@link dev.nines.Policy#executeAsync}. */
    public <T> CompletionStage<T> executeAsync(CallContext context, AsyncCall<T> call, Next next) {
        Priority priority = context.priorityOr(defaultPriority);
        long token;
        try {
            if (!context.hasDeadline()) {
                token = admission.tryAdmitOrRecordShed(priority, false, 0L);
            } else if (context.deadlineTicker() == ticker) { // one reading serves the deadline and the admission
                long now = ticker.read();
                remaining(context.remainingNanos(now), priority, true, now);
                token = admission.tryAdmitOrRecordShed(priority, true, now);
            } else {
                remaining(context.remainingNanos(), priority, false, 0L);
                token = admission.tryAdmitOrRecordShed(priority, false, 0L);
            }
        } catch (ShedException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (token == LimitFeedback.REJECTED) {
            return CompletableFuture.failedFuture(recorder.rejection(priority, admission.limitReason(priority))); // the only exception built
        }
        CompletionStage<T> stage;
        try {
            stage = next.callAsync(context, call);
        } catch (Throwable t) {
            release.release(token, priority, outcomeOf(t));
            return CompletableFuture.failedFuture(t);
        }
        return new Settlement<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void completed(T value, Throwable failure) {
                release.release(token, priority, failure == null ? Outcome.SUCCESS : outcomeOf(failure));
            }

            @Override
            protected void abandoned() {
                release.release(token, priority, Outcome.IGNORED); // the caller gave up: a cancellation teaches the limit nothing
            }
        }.watch(stage);
    }

    /** Sheds at once if the deadline has passed ({@code left <= 0}); else returns {@code left}. */
    private long remaining(long left, Priority priority, boolean read, long now) {
        if (left <= 0) {
            throw recorder.shed(priority, Reason.DEADLINE_EXPIRED, read ? now : ticker.read());
        }
        return left;
    }

    /**
     * The outcome of an admitted call that threw {@code t}, as the configured classifier says
     * (never guessed here from the type); {@code IGNORED} if the classifier throws or says nothing.
     */
    private Outcome outcomeOf(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        Outcome outcome;
        try {
            outcome = classifier.classify(cause);
        } catch (Throwable bug) {
            guard.failed(bug);
            return Outcome.IGNORED;
        }
        return outcome == null ? Outcome.IGNORED : outcome;
    }
}
