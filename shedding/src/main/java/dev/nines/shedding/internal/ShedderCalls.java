package dev.nines.shedding.internal;

import dev.nines.AsyncCall;
import dev.nines.CallContext;
import dev.nines.FailureFilter;
import dev.nines.Next;
import dev.nines.Priority;
import dev.nines.Ticker;
import dev.nines.internal.Exceptions;
import dev.nines.internal.Settlement;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.ShedException;
import dev.nines.shedding.ShedException.Reason;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shedder's policy path: a pipeline call's priority from its context, a passed deadline shed
 * at once, admission (the synchronous form may wait, the asynchronous one never does) and the
 * release of the slot with the outcome the shedder's two failure filters give the call (the drops
 * filter first, then the failures filter), for a result as for a throwable. One clock reading
 * serves the deadline and the admission when both use the shedder's ticker.
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
    private final FailureFilter failures;
    private final FailureFilter drops;
    /** Whether a returned result may be anything but a success: one of the filters judges results. */
    private final boolean judgesResults;
    private final Release release;

    /**
     * @param defaultPriority the priority of a call whose context names none
     * @param ticker          the shedder's ticker
     * @param admission       non-waiting admission, for the asynchronous form
     * @param blocking        admission that may wait, for the synchronous form
     * @param recorder        records rejections and builds their exceptions
     * @param failures        says whether a call failed, was answered, or is ignored
     * @param drops           says whether a call was dropped, judged first
     * @param release         releases an admitted call's slot
     */
    public ShedderCalls(Priority defaultPriority, Ticker ticker, PriorityAdmission admission, Admission blocking,
            ShedRecorder recorder, FailureFilter failures, FailureFilter drops, Release release) {
        this.defaultPriority = defaultPriority;
        this.ticker = ticker;
        this.admission = admission;
        this.blocking = blocking;
        this.recorder = recorder;
        this.failures = failures;
        this.drops = drops;
        this.judgesResults = failures.judgesResults() || drops.judgesResults();
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
            settle(token, priority, t, null);
            throw t;
        }
        settle(token, priority, null, result);
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
            settle(token, priority, t, null);
            return CompletableFuture.failedFuture(t);
        }
        return new Settlement<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void completed(T value, Throwable failure) {
                settle(token, priority, failure, value);
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
     * Releases the slot of a call that threw {@code failure} (if not {@code null}) or returned
     * {@code result}, with the outcome the filters give it. The slot is released even if judging
     * throws a {@link VirtualMachineError} (which a filter passes on): then as ignored.
     */
    private void settle(long token, Priority priority, Throwable failure, Object result) {
        Outcome outcome = Outcome.IGNORED;
        try {
            outcome = failure != null ? outcomeOf(failure) : judgesResults ? outcomeOfResult(result) : Outcome.SUCCESS;
        } finally {
            release.release(token, priority, outcome);
        }
    }

    /**
     * The outcome of an admitted call that threw {@code t}, as the filters say (never guessed here
     * from the type): dropped ({@code TIMED_OUT}) if {@code drops} says {@code FAILURE}; else
     * {@code failures}' verdict, an {@link Error} judged {@code SUCCESS} counting as a failure. A
     * filter whose predicate throws says {@code FAILURE} (and logs it), so the slot is released.
     */
    private Outcome outcomeOf(Throwable t) {
        if (drops.judge(t) == FailureFilter.Verdict.FAILURE) {
            return Outcome.TIMED_OUT;
        }
        switch (failures.judge(t)) {
            case FAILURE:
                return Outcome.FAILURE;
            case IGNORED:
                return Outcome.IGNORED;
            default:
                return Exceptions.unwrap(t) instanceof Error ? Outcome.FAILURE : Outcome.SUCCESS;
        }
    }

    /** The outcome of an admitted call that returned {@code result}, as the filters say. */
    private Outcome outcomeOfResult(Object result) {
        if (drops.judgeResult(result) == FailureFilter.Verdict.FAILURE) {
            return Outcome.TIMED_OUT;
        }
        switch (failures.judgeResult(result)) {
            case FAILURE:
                return Outcome.FAILURE;
            case IGNORED:
                return Outcome.IGNORED;
            default:
                return Outcome.SUCCESS;
        }
    }
}
