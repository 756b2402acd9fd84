package dev.kiln.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (every thread, including the WebView's): on a machine shared
 * with other work, CPU per message says more about a host's cost than its wall-clock rate.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** CPU time used by this process so far, in nanoseconds, or -1 when the JVM cannot tell. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Microseconds of CPU per item since {@code startNanos}, rounded to 0.01; NaN when unknown. */
    static double microsPerItem(long startNanos, long items) {
        long now = nanos();
        if (startNanos < 0 || now < 0 || items <= 0) {
            return Double.NaN;
        }
        return Math.round((now - startNanos) / 10.0 / items) / 100.0;
    }

    /** The threads that used the most CPU so far, as "name ms" pairs, busiest first (diagnostic). */
    static String busiestThreads(int limit) {
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        for (var info : threads.dumpAllThreads(false, false)) {
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("-\\d+$", "-*"), cpu / 1_000_000, Long::sum);
            }
        }
        return byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit).map(e -> e.getKey() + " " + e.getValue() + " ms")
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
