package io.retryspool.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CPU time a timed run cost: this JVM's, the local PostgreSQL processes', and how busy the machine's processors
 * were meanwhile, with the share the hypervisor took for other guests ("steal"). It tells a run limited by the
 * processors from one that waited, and a figure disturbed by a noisy neighbour from a true one. The machine and
 * PostgreSQL are read from Linux's {@code /proc} in clock ticks of 1/100 s; elsewhere, or where PostgreSQL runs on
 * another machine, only the JVM's time is known and the description says so.
 *
 * @param jvmSeconds the CPU time of this JVM, all threads
 * @param postgresSeconds the CPU time of every process named {@code postgres} on this machine, or null when there is
 *        none or {@code /proc} cannot be read (processes that exited meanwhile are not counted)
 * @param machine how the machine's processors spent the time, or null when {@code /proc/stat} cannot be read
 */
record CpuUse(double jvmSeconds, @Nullable Double postgresSeconds, @Nullable MachineTime machine) {

    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    /**
     * How a machine's processors spent a stretch of time, in seconds summed over processors.
     *
     * @param busy running anything: user, system and interrupt time
     * @param idle idle or waiting for I/O
     * @param stolen taken by the hypervisor for other guests
     */
    record MachineTime(double busy, double idle, double stolen) {

        private double total() {
            return busy + idle + stolen;
        }
    }

    /** A reading to measure from; {@link #since()} gives the time spent after it. */
    static final class Reading {
        private final long jvmNanos = jvmCpuNanos();
        private final @Nullable Map<String, Long> postgresTicks = postgresTicksByProcess();
        private final long @Nullable [] machineTicks = machineTicks();

        private Reading() {
        }

        /** The CPU time spent since this reading. */
        CpuUse since() {
            long[] machineNow = machineTicks();
            Map<String, Long> postgresNow = postgresTicksByProcess();
            double jvm = (jvmCpuNanos() - jvmNanos) / 1e9;
            Double postgres = postgresTicks == null || postgresNow == null || postgresNow.isEmpty() ? null
                    : ticksAdded(postgresTicks, postgresNow) / TICKS_PER_SECOND;
            MachineTime machine = machineTicks == null || machineNow == null ? null : machineTime(machineTicks, machineNow);
            return new CpuUse(jvm, postgres, machine);
        }
    }

    /** Takes a reading now. */
    static Reading read() {
        return new Reading();
    }

    /**
     * Describes the cost per operation and the machine's state, e.g. {@code CPU per message: JVM 16.8 µs, PostgreSQL
     * 26.3 µs; processors 71% busy, 0% stolen}.
     *
     * @param operations what the run did, to divide by
     * @param what the operation in the singular, e.g. {@code message}
     * @return the description
     */
    String describe(long operations, String what) {
        double micros = 1e6 / Math.max(1, operations);
        String postgres = postgresSeconds == null ? "PostgreSQL not seen on this machine"
                : String.format(Locale.ROOT, "PostgreSQL %.1f µs", postgresSeconds * micros);
        String processors = machine == null ? "processors unknown (no /proc/stat)"
                : String.format(Locale.ROOT, "processors %.0f%% busy, %.0f%% stolen", 100 * busyShare(),
                        100 * machine.stolen() / Math.max(1e-9, machine.total()));
        return String.format(Locale.ROOT, "CPU per %s: JVM %.1f µs, %s; %s", what, jvmSeconds * micros, postgres,
                processors);
    }

    /** The share of the machine's processor time spent running anything, 0 when unknown. */
    double busyShare() {
        return machine == null ? 0 : machine.busy() / Math.max(1e-9, machine.total());
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    /** user, nice, system, idle, iowait, irq, softirq, steal from the first line of {@code /proc/stat}. */
    private static long @Nullable [] machineTicks() {
        try {
            String[] fields = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long[] ticks = new long[8];
            for (int i = 0; i < ticks.length; i++) {
                ticks[i] = Long.parseLong(fields[i + 1]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static MachineTime machineTime(long[] before, long[] after) {
        long[] d = new long[before.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return new MachineTime((d[0] + d[1] + d[2] + d[5] + d[6]) / TICKS_PER_SECOND, (d[3] + d[4]) / TICKS_PER_SECOND,
                d[7] / TICKS_PER_SECOND);
    }

    /** Each {@code postgres} process's user and system ticks by process id; null when {@code /proc} is unreadable. */
    private static @Nullable Map<String, Long> postgresTicksByProcess() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, path -> path.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                Long used = postgresTicks(process);
                if (used != null) {
                    ticks.put(process.getFileName().toString(), used);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    private static @Nullable Long postgresTicks(Path process) {
        try {
            if (!Files.readString(process.resolve("comm")).trim().equals("postgres")) {
                return null;
            }
            String stat = Files.readString(process.resolve("stat"));
            // fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th and 15th
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return null; // exited meanwhile
        }
    }

    private static long ticksAdded(Map<String, Long> before, Map<String, Long> after) {
        long added = 0;
        for (Map.Entry<String, Long> process : after.entrySet()) {
            added += process.getValue() - before.getOrDefault(process.getKey(), 0L);
        }
        return added;
    }
}
