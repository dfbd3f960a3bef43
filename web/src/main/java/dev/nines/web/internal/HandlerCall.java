package dev.nines.web.internal;

import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.RejectedCallException;

/**
 * An endpoint's handler, remembering a rejection it threw itself, so that only the guard's own
 * policies' rejections become 429 or 503 (and count as rejections of the request). Compared by
 * identity: the same exception object passed through the policies unchanged. One per request;
 * thread-safe, since a policy may run the handler on another thread.
 */
public final class HandlerCall implements Call<Void> {

    private final Call<Void> handler;
    private volatile RejectedCallException thrown;

    /** Wraps {@code handler}. */
    public HandlerCall(Call<Void> handler) {
        this.handler = handler;
    }

    @Override
    public Void call(CallContext context) throws Exception {
        try {
            return handler.call(context);
        } catch (RejectedCallException e) {
            thrown = e;
            throw e;
        }
    }

    /** Whether {@code e} is the rejection the handler itself threw. */
    public boolean isOwn(RejectedCallException e) {
        return thrown != null && thrown == e;
    }

    /** The rejection the handler itself threw, or null. */
    public RejectedCallException thrown() {
        return thrown;
    }
}
