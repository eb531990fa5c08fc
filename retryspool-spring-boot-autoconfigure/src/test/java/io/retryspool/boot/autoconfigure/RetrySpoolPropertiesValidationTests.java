package io.retryspool.boot.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
            "retryspool.instance-id=                   | retryspool.instance-id must not be blank"
    })
    void invalidValueStopsStartUpNamingTheProperty(String property, String message) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(allMessages(context.getStartupFailure())).contains(message);
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
