package dev.nines.shedding;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * Ready-made CPU load suppliers for {@link LoadShedderBuilder#cpuSignal} (which needs an
 * adaptive limit), read from {@code com.sun.management.OperatingSystemMXBean}. Each returns a load in 0..1, or a negative
 * value when the platform does not provide it (the shedder then ignores the signal).
 * Thread-safe: a stateless utility; its suppliers read the platform bean, which may be called from any
 * thread.
 */
public final class CpuLoad {

    private CpuLoad() {
    }

    /** The CPU load of this JVM process, 0..1 of all cores. */
    public static DoubleSupplier process() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
            return sun::getProcessCpuLoad;
        }
        return () -> -1;
    }

    /** The CPU load of the whole machine (or container), 0..1. */
    public static DoubleSupplier system() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
            return sun::getCpuLoad;
        }
        return () -> -1;
    }
}
