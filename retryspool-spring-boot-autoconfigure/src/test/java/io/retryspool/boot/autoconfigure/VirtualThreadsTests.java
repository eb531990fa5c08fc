package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnJre;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** spring.threads.virtual.enabled=true runs handlers on virtual threads where the JVM has them. */
class VirtualThreadsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.worker.poll-interval=20ms",
                    "spring.threads.virtual.enabled=true");

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void handlersRunOnVirtualThreadsWhenEnabled() {
        CompletableFuture<String> thread = new CompletableFuture<>();
        runner.withBean("handler", io.retryspool.handler.MessageHandler.class,
                () -> (context, message, body) -> thread.complete(Thread.currentThread().toString()))
                .run(context -> {
                    context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[0]);
                    assertThat(thread.get(20, TimeUnit.SECONDS)).startsWith("VirtualThread");
                });
    }

    @Test
    @EnabledOnJre(JRE.JAVA_17)
    void onJava17ThePropertyIsIgnoredAndPlatformThreadsWork() {
        CompletableFuture<String> thread = new CompletableFuture<>();
        runner.withBean("handler", io.retryspool.handler.MessageHandler.class,
                () -> (context, message, body) -> thread.complete(Thread.currentThread().getName()))
                .run(context -> {
                    context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[0]);
                    assertThat(thread.get(20, TimeUnit.SECONDS)).startsWith("retryspool-worker-");
                });
    }
}
