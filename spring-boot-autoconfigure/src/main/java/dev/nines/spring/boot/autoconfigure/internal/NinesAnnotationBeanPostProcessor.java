package dev.nines.spring.boot.autoconfigure.internal;

import dev.nines.annotation.AnnotationHandler;
import dev.nines.annotation.MethodPolicies;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.MetricsSink;
import dev.nines.spring.boot.autoconfigure.internal.AnnotationPlans.Plan;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.ProxyProcessorSupport;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;

/**
 * Applies the nines annotations ({@code @WithCircuitBreaker}, {@code @WithRetry}, ... and every
 * {@link AnnotationHandler} found by {@link MethodPolicies#discoverHandlers()}) to the public
 * methods of Spring beans, classes as well as interfaces: when a bean is initialized, each
 * annotated method's pipeline is built once from the application's {@link PolicyRegistry} (so
 * {@code @WithCircuitBreaker(name = "payments")} gets the breaker configured under
 * {@code nines.circuit-breaker.instances.payments}), and the bean is wrapped in a Spring AOP proxy
 * (a class proxy) whose advice runs each call through it. A bean already proxied by Spring AOP gets
 * the advice added in front of its other advisors, so nines runs outermost (a retry repeats a
 * transaction). An invalid annotation fails the startup, naming the method and attribute.
 *
 * <p>Beans annotated {@code @Controller} (so {@code @RestController}) are left alone: their
 * handler methods belong to the web guard, which applies the same annotations once per request.
 * Calls a bean makes to its own methods ({@code this.m()}) do not pass the proxy, as with every
 * Spring AOP advice. Thread-safe once the context has started.
 */
public final class NinesAnnotationBeanPostProcessor extends ProxyProcessorSupport implements BeanPostProcessor {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<PolicyRegistry> registry;
    private final transient Supplier<MetricsSink> metrics;
    private transient volatile AnnotationPlans plans;

    /**
     * A post-processor taking the registry and the sink when the first bean is examined (so both
     * are complete by then).
     *
     * @param registry the application's registry, with the configured policies registered
     * @param metrics  the sink of annotation-built policies and request events, or a supplier of
     *                 {@code null} for {@link Metrics#getDefault()}
     */
    public NinesAnnotationBeanPostProcessor(Supplier<PolicyRegistry> registry, Supplier<MetricsSink> metrics) {
        this.registry = registry;
        this.metrics = metrics;
        setProxyTargetClass(true);
    }

    private AnnotationPlans plans() {
        AnnotationPlans p = plans;
        if (p == null) {
            synchronized (this) {
                p = plans;
                if (p == null) {
                    Map<Class<? extends Annotation>, AnnotationHandler<?>> handlers = MethodPolicies.discoverHandlers();
                    p = new AnnotationPlans(handlers, registry, () -> Metrics.resolve(metrics.get()));
                    plans = p;
                }
            }
        }
        return p;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean || bean instanceof PolicyRegistry) {
            return bean;
        }
        Class<?> type = AopUtils.getTargetClass(bean);
        String typeName = type.getName();
        if (typeName.startsWith("org.springframework.") || typeName.startsWith("java.")
                || AnnotatedElementUtils.hasAnnotation(type, Controller.class)) {
            return bean;
        }
        AnnotationPlans p = plans();
        if (!p.isCandidate(type)) {
            return bean; // decided without the registry: a bean the registry needs is not held up
        }
        Object target = AopProxyUtils.getSingletonTarget(bean);
        Map<Method, Plan> methodPlans = p.plans(type, target == null ? bean : target);
        if (methodPlans.isEmpty()) {
            return bean;
        }
        NinesMethodInterceptor interceptor = new NinesMethodInterceptor(type, methodPlans);
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                new ProtectedMethodsPointcut(type, methodPlans.keySet()), interceptor);
        if (bean instanceof Advised advised && !advised.isFrozen() && target != null) {
            advised.addAdvisor(0, advisor);
            return bean;
        }
        ProxyFactory factory = new ProxyFactory();
        factory.copyFrom(this);
        factory.setTarget(bean);
        if (Modifier.isFinal(type.getModifiers())) {
            if (type.getInterfaces().length == 0) {
                throw new NinesConfigurationException("nines annotations", type.getName() + " (bean '" + beanName
                        + "'): must not be final, or must implement an interface, to be protected by nines (a"
                        + " proxy must subclass or implement it) but was a final class", AnnotationPlans.ACTION, null);
            }
            factory.setProxyTargetClass(false); // a JDK proxy of its interfaces; callers use the interface
        }
        if (!factory.isProxyTargetClass()) {
            evaluateProxyInterfaces(type, factory);
        }
        factory.addAdvisor(advisor);
        return factory.getProxy(getProxyClassLoader());
    }
}
