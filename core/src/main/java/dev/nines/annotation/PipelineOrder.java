package dev.nines.annotation;

/**
 * Where each annotation's policy sits in a pipeline built from annotations; lower is outer.
 *
 * <p>The order is fixed so that a method's behaviour does not depend on how its annotations are
 * written. Outermost first:
 * <ol>
 *   <li>{@link #FALLBACK}: sees the final outcome, after retries and rejections;</li>
 *   <li>{@link #TOTAL_TIMEOUT}: bounds the whole call, every retry included;</li>
 *   <li>{@link #RETRY}: runs the call again on failure;</li>
 *   <li>{@link #CIRCUIT_BREAKER}: each attempt is recorded and may be rejected;</li>
 *   <li>{@link #RATE_LIMIT}: cheap, per client, before anything holds a permit;</li>
 *   <li>{@link #PRIORITY}: priority admission (load shedding);</li>
 *   <li>{@link #BULKHEAD}: limits concurrency of what is admitted;</li>
 *   <li>{@link #ATTEMPT_TIMEOUT}: bounds one attempt;</li>
 * </ol>
 * and then the call. A handler of a custom annotation picks any other number. Two annotations on
 * one method may not share a slot.
 */
public final class PipelineOrder {

    public static final int FALLBACK = 100;
    public static final int TOTAL_TIMEOUT = 200;
    public static final int RETRY = 300;
    public static final int CIRCUIT_BREAKER = 400;
    public static final int RATE_LIMIT = 500;
    public static final int PRIORITY = 600;
    public static final int BULKHEAD = 700;
    public static final int ATTEMPT_TIMEOUT = 800;

    private PipelineOrder() {
    }
}
