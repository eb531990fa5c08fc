package io.retryspool.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a run ran on, printed beside its results so figures from different machines are never compared blindly.
 *
 * @param processors the processors the JVM sees (as {@code nproc} reports them)
 * @param memory the machine's total memory, e.g. {@code 23.5 GiB}, or {@code unknown}
 * @param java the Java runtime, e.g. {@code OpenJDK 64-Bit Server VM 17.0.15+6}
 * @param os the operating system
 * @param postgres PostgreSQL's {@code SELECT version()}, or why it is unknown
 * @param maxHeapBytes the benchmark JVM's {@code Runtime.maxMemory()}
 */
public record MachineInfo(int processors, String memory, String java, String os, String postgres, long maxHeapBytes) {

    /**
     * Describes the machine this JVM runs on.
     *
     * @param postgres PostgreSQL's version string, or why it is unknown
     * @return the description
     */
    public static MachineInfo current(String postgres) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), totalMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                postgres, Runtime.getRuntime().maxMemory());
    }

    /**
     * Returns the JVM's maximum heap in MiB.
     *
     * @return the heap limit in MiB
     */
    public double maxHeapMiB() {
        return maxHeapBytes / (1024.0 * 1024.0);
    }

    private static String totalMemory() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            for (String line : lines) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: say so below
        }
        return "unknown";
    }
}
