package io.retryspool.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs a main class on the test classpath, as a separate process would: same {@code java}
 * executable, its own heap limit, stdout and stderr going to one file. Its stdin stays an open pipe from
 * this process, so a child can watch it and exit when the test JVM goes away. Closing it kills the child
 * if it is still running.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path output;
    private final long started = System.nanoTime();

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} in a new JVM.
     *
     * @param output the file that receives the child's stdout and stderr
     * @param maxHeap the value of {@code -Xmx}, e.g. {@code 128m}
     * @param mainClass a class with {@code public static void main(String[])} on the test classpath
     * @param args the program arguments
     * @return the running child
     */
    static ChildJvm start(Path output, String maxHeap, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new ChildJvm(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The file receiving the child's output. */
    Path logFile() {
        return output;
    }

    /** Whether the child is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The complete lines the child has written so far (stdout and stderr). */
    List<String> outputLines() {
        String text = output();
        int lastNewline = text.lastIndexOf('\n');
        return lastNewline < 0 ? List.of() : List.of(text.substring(0, lastNewline).split("\n"));
    }

    /** Everything the child has written so far. */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the output of the child JVM from " + output, e);
        }
    }

    /** A description of the child for assertion messages: its state and its output. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "child JVM (pid " + process.pid() + ", " + state + ", " + elapsed().toMillis() + " ms) wrote:\n" + output();
    }

    /** How long ago the child was started. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeout how long to wait
     * @return its exit code
     * @throws AssertionError (after killing it) if it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child JVM did not exit within " + timeout + "; killed it. " + describe());
        }
        return process.exitValue();
    }

    /**
     * Kills the child at once, without letting it clean up ({@code SIGKILL} on Linux), and waits for it to die.
     *
     * @return its exit code (137 on Linux: 128 + SIGKILL)
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child JVM (pid " + process.pid() + ") survived destroyForcibly for " + KILL_WAIT);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
