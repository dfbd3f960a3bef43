package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.AsyncCall;
import dev.nines.Call;
import dev.nines.CallContext;
import dev.nines.Next;
import dev.nines.annotation.InterruptedCallException;
import dev.nines.annotation.Invocation;
import dev.nines.spring.boot.autoconfigure.internal.AnnotationPlans.Plan;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * Runs each call of an annotated bean method through the pipeline built for it at startup, like
 * {@link dev.nines.annotation.NinesProxy}'s handler: synchronous methods through
 * {@code execute}, methods returning a {@link CompletionStage} through {@code executeAsync}, and
 * an interrupted caller gets {@link InterruptedException} if the method declares it, else
 * {@link InterruptedCallException}. Each attempt (a retry makes several) proceeds on a fresh clone
 * of the Spring invocation, so the advice inside nines runs again for each. Thread-safe.
 */
final class NinesMethodInterceptor implements MethodInterceptor {

    private static final Object[] NO_ARGS = new Object[0];

    private final Class<?> targetClass;
    private final Map<Method, Plan> plans;
    /** The plan of each method the proxy was called with (an interface's or a superclass's method). */
    private final Map<Method, Plan> resolved = new ConcurrentHashMap<>();

    NinesMethodInterceptor(Class<?> targetClass, Map<Method, Plan> plans) {
        this.targetClass = targetClass;
        this.plans = Map.copyOf(plans);
    }

    private Plan plan(Method method) {
        Plan plan = plans.get(method);
        if (plan != null) {
            return plan;
        }
        Plan found = resolved.computeIfAbsent(method, m -> {
            Plan p = plans.get(AopUtils.getMostSpecificMethod(m, targetClass));
            return p == null ? Plan.NONE : p;
        });
        return found == Plan.NONE ? null : found;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Plan plan = plan(invocation.getMethod());
        if (plan == null) {
            return invocation.proceed();
        }
        Object[] args = invocation.getArguments() == null ? NO_ARGS : invocation.getArguments();
        CallContext ctx = plan.policies().context(CallContext.empty(), args);
        SpringCall call = new SpringCall(invocation, args);
        if (plan.async()) {
            CompletionStage<Object> stage = plan.pipeline().executeAsync(ctx, call, Next.END);
            return plan.future() ? stage.toCompletableFuture() : stage;
        }
        try {
            return plan.pipeline().execute(ctx, call, Next.END);
        } catch (InterruptedException e) {
            if (plan.declaresInterrupt()) {
                throw e;
            }
            Thread.currentThread().interrupt();
            throw new InterruptedCallException(plan.description(), e);
        }
    }

    /** One call of the bean method as the pipeline carries it: sync, async and readable. */
    private static final class SpringCall implements Call<Object>, AsyncCall<Object>, Invocation {
        private final MethodInvocation invocation;
        private final Object[] arguments;

        SpringCall(MethodInvocation invocation, Object[] arguments) {
            this.invocation = invocation;
            this.arguments = arguments;
        }

        @Override
        public Object call(CallContext context) throws Exception {
            // the original invocation never proceeds itself, so each clone starts from this advice
            MethodInvocation attempt = invocation instanceof ProxyMethodInvocation p ? p.invocableClone() : invocation;
            try {
                return attempt.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new UndeclaredThrowableException(t);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Object> start(CallContext context) {
            try {
                Object result = call(context);
                if (result == null) {
                    return CompletableFuture.failedFuture(new NullPointerException(
                            invocation.getMethod().getName() + " returned null instead of a stage"));
                }
                return (CompletionStage<Object>) result;
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public Method method() {
            return invocation.getMethod();
        }

        @Override
        public Object[] arguments() {
            return arguments;
        }
    }
}
