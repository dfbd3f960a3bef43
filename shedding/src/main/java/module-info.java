/**
 * nines load shedding: priorities, the load shedder with fixed and adaptive limits, the waiting
 * queue, degradation tiers, the client-side adaptive throttle and {@code @WithPriority}. Only API
 * packages are exported; {@code internal} (the admission machinery and the annotation's handler)
 * stays inside. The overload simulator, a tuning tool, is the separate {@code dev.nines.simulator}.
 */
module dev.nines.shedding {
    requires transitive dev.nines.core;
    requires jdk.management; // the process and system CPU load

    exports dev.nines.shedding;
    exports dev.nines.shedding.annotation;
    exports dev.nines.shedding.limit;
    exports dev.nines.shedding.throttle;

    provides dev.nines.annotation.AnnotationHandler with dev.nines.shedding.internal.PriorityHandler;
}
