package io.retryspool.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An invalid value stops start-up with a message that names the property (no Bean Validation provider needed). */
class RetrySpoolPropertiesValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retryspool.max-attempts=0                 | retryspool.max-attempts must be at least 1",
            "retryspool.worker.concurrency=-1          | retryspool.worker.concurrency must be at least 1",
            "retryspool.worker.batch-size=0            | retryspool.worker.batch-size must be at least 1",
            "retryspool.default-priority=101           | retryspool.default-priority must be between 0 and 100",
            "retryspool.worker.poll-interval=0s        | retryspool.worker.poll-interval must be a positive duration",
            "retryspool.worker.lease-timeout=-5s       | retryspool.worker.lease-timeout must be a positive duration",
            "retryspool.retry.max-lifetime=0s          | retryspool.retry.max-lifetime must be a positive duration",
            "retryspool.retry.intervals=1m,-1m         | retryspool.retry.intervals must contain only positive durations",
            "retryspool.retry.policies.fast.max-attempts=0 | retryspool.retry.policies.fast.max-attempts must be at least 1",
            "retryspool.jdbc.meta-table=x;drop         | retryspool.jdbc.meta-table 'x;drop' is not a valid table name",
            "retryspool.data.encryption.key=not-a-key  | retryspool.data.encryption.key must be a base64 encoded 32-byte key",
            "retryspool.instance-id=                   | retryspool.instance-id must not be blank",
            "retryspool.destinations.concurrency=-1    | retryspool.destinations.concurrency must be 0 (no limit) or more, was -1",
            "retryspool.destinations.failure-threshold=0 | retryspool.destinations.failure-threshold must be at least 1, was 0",
            "retryspool.destinations.suspend=0s        | retryspool.destinations.suspend must be a positive duration",
            "retryspool.destinations.limits[a.example].concurrency=-2 | retryspool.destinations.limits[a.example].concurrency must be 0 (no limit) or more, was -2",
            "retryspool.destinations.limits[a.example].rate=0 | retryspool.destinations.limits[a.example].rate must be a positive number of attempts per second, was 0.0",
            "retryspool.destinations.limits[a.example].rate=Infinity | retryspool.destinations.limits[a.example].rate must be a positive number"
    })
    void invalidValueStopsStartUpNamingTheProperty(String property, String message) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(allMessages(context.getStartupFailure())).contains(message);
        });
    }

    @Test
    void aDestinationNameLongerThanTheEngineAllowsStopsStartUpNamingIt() {
        String name = "d".repeat(256);
        runner.withPropertyValues("retryspool.destinations.limits[" + name + "].rate=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(allMessages(context.getStartupFailure())).contains("retryspool.destinations.limits." + name
                    + ": the destination's name: must have at most 255 characters");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retryspool.destinations.limits.mail.example.com.rate=5 | retryspool.destinations.limits.mail.example.com.rate",
            "retryspool.destinations.limits.hooks.rates=5           | retryspool.destinations.limits.hooks.rates"
    })
    void aDestinationLimitThatBindsToNothingStopsStartUpNamingIt(String property, String name) {
        runner.withPropertyValues(property, "retryspool.destinations.limits[ok.example].rate=1").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new RetrySpoolFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("set nothing: " + name + ".").doesNotContain("ok.example");
            assertThat(analysis.getAction()).contains("retryspool.destinations.limits[mail.example.com].rate=10");
        });
    }

    @Test
    void destinationSettingsBindWithNamesWithDotsInBrackets() {
        runner.withPropertyValues("retryspool.destinations.concurrency=0", "retryspool.destinations.failure-threshold=3",
                "retryspool.destinations.suspend=90s", "retryspool.destinations.limits[mail.example.com].concurrency=2",
                "retryspool.destinations.limits[mail.example.com].rate=0.5",
                "retryspool.destinations.limits[hooks-eu].rate=20").run(context -> {
                    assertThat(context).hasNotFailed();
                    RetrySpoolProperties.Destinations destinations = context.getBean(RetrySpoolProperties.class)
                            .getDestinations();
                    assertThat(destinations.getConcurrency()).isZero();
                    assertThat(destinations.getFailureThreshold()).isEqualTo(3);
                    assertThat(destinations.getSuspend()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(destinations.getLimits()).containsOnlyKeys("mail.example.com", "hooks-eu");
                    assertThat(destinations.getLimits().get("mail.example.com").getConcurrency()).isEqualTo(2);
                    assertThat(destinations.getLimits().get("mail.example.com").getRate()).isEqualTo(0.5);
                    assertThat(destinations.getLimits().get("hooks-eu").getConcurrency()).isNull();
                    assertThat(destinations.getLimits().get("hooks-eu").getRate()).isEqualTo(20.0);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "retryspool.data.compression=lz4     | retryspool.data.compression",
            "retryspool.data.encryption.cipher=rot13 | retryspool.data.encryption.cipher",
            "retryspool.store=redis              | retryspool.store"
    })
    void unknownEnumValueStopsStartUpNamingTheProperty(String property, String name) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(allMessages(context.getStartupFailure())).contains(name);
        });
    }

    private static String allMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
