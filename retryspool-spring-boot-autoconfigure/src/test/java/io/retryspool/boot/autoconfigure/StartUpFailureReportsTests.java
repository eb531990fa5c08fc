package io.retryspool.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every failure to start that comes from RetrySpool's configuration ends in Boot's "APPLICATION FAILED TO START"
 * report with a description and an action, not in a stack of nested bean creation exceptions: real applications
 * started with {@link SpringApplicationBuilder}, their output captured.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpFailureReportsTests {

    @TempDir
    Path directory;

    @Test
    void anInvalidPropertyIsReportedByName(CapturedOutput output) {
        assertThatThrownBy(() -> start(SpoolOnly.class, "retryspool.worker.concurrency=-1")).isNotNull();

        assertThat(report(output)).contains("retryspool.worker.concurrency must be at least 1, was -1").contains("Action:");
    }

    @Test
    void anUnknownSqliteJournalModeIsReportedByName(CapturedOutput output) {
        assertThatThrownBy(() -> start(SpoolOnly.class, "retryspool.sqlite.journal-mode=wall")).isNotNull();

        assertThat(report(output)).contains("retryspool.sqlite.journal-mode must be one of [WAL, DELETE, TRUNCATE, "
                + "PERSIST, MEMORY, OFF], was wall");
    }

    @Test
    void aDestinationLimitWithADottedNameOutsideBracketsIsReportedByName(CapturedOutput output) {
        assertThatThrownBy(() -> start(SpoolOnly.class, "retryspool.destinations.limits.mail.example.com.rate=5"))
                .isNotNull();

        assertThat(report(output)).contains("Some retryspool.destinations.limits properties set nothing: "
                        + "retryspool.destinations.limits.mail.example.com.rate.")
                .contains("Action:").contains("retryspool.destinations.limits[mail.example.com].rate=10");
    }

    @Test
    void anInvalidDestinationRateIsReportedByName(CapturedOutput output) {
        assertThatThrownBy(() -> start(SpoolOnly.class, "retryspool.destinations.limits[mail.example.com].rate=-1"))
                .isNotNull();

        assertThat(report(output)).contains("retryspool.destinations.limits[mail.example.com].rate must be a positive "
                + "number of attempts per second, was -1.0");
    }

    @Test
    void aDedicatedDatabaseThatCannotBeReachedIsReportedWithTheUrl(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere?connectTimeout=2";

        assertThatThrownBy(() -> start(SpoolOnly.class, "retryspool.datasource.url=" + url))
                .hasRootCauseInstanceOf(java.net.ConnectException.class);

        assertThat(report(output)).contains("RetrySpool could not connect to retryspool.datasource.url (" + url + ")")
                .contains("Check retryspool.datasource.url, .username and .password");
    }

    @Test
    void aCustomizerThatBreaksTheBuilderIsReported(CapturedOutput output) {
        assertThatThrownBy(() -> start(BrokenCustomizer.class)).hasRootCauseInstanceOf(IllegalArgumentException.class);

        assertThat(report(output)).contains("RetrySpool could not be built as configured: ")
                .contains("concurrency").contains("RetrySpoolCustomizer");
    }

    private void start(Class<?> application, String... properties) {
        new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties("retryspool.sqlite.path=" + directory.resolve("spool.db"), "spring.main.banner-mode=off",
                        "retryspool.auto-start=false")
                .properties(properties)
                .run().close();
    }

    private static String report(CapturedOutput output) {
        String all = output.getOut() + output.getErr();
        assertThat(all).contains("APPLICATION FAILED TO START").contains("Description:");
        return all.substring(all.indexOf("APPLICATION FAILED TO START"));
    }

    /** The spool alone. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(RetrySpoolAutoConfiguration.class)
    static class SpoolOnly {
    }

    /** The spool with a customizer that sets an impossible value. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(RetrySpoolAutoConfiguration.class)
    static class BrokenCustomizer {

        @Bean
        RetrySpoolCustomizer zeroWorkers() {
            return builder -> builder.concurrency(0);
        }
    }
}
