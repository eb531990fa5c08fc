package io.retryspool.boot.autoconfigure;

import io.retryspool.MessageMetadata;
import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.jdbc.SqliteDataSources;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata (what IDEs show) describes every property, the properties' defaults are the
 * engine's defaults, and the configuration reference in docs/ lists every property.
 */
class ConfigurationMetadataTests {

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static List<String> propertyNames() throws IOException {
        List<String> names = new ArrayList<>();
        metadata().get("properties").forEach(property -> names.add(property.get("name").asString()));
        return names.stream().filter(name -> name.startsWith("retryspool.")).toList();
    }

    @Test
    void everyPropertyHasADescription() throws IOException {
        List<String> undescribed = new ArrayList<>();
        metadata().get("properties").forEach(property -> {
            JsonNode description = property.get("description");
            if (description == null || description.asString().isBlank()) {
                undescribed.add(property.get("name").asString());
            }
        });
        assertThat(propertyNames()).hasSizeGreaterThan(30);
        assertThat(undescribed).isEmpty();
    }

    @Test
    void everyPropertyOfTheDesignIsThere() throws IOException {
        assertThat(propertyNames()).contains("retryspool.enabled", "retryspool.auto-start", "retryspool.instance-id",
                "retryspool.max-attempts", "retryspool.default-priority", "retryspool.worker.concurrency",
                "retryspool.worker.batch-size", "retryspool.worker.poll-interval", "retryspool.worker.lease-timeout",
                "retryspool.worker.shutdown-grace", "retryspool.retry.intervals", "retryspool.retry.max-lifetime",
                "retryspool.retry.policies", "retryspool.archive.success", "retryspool.archive.bounce",
                "retryspool.store", "retryspool.datasource.url", "retryspool.datasource.username",
                "retryspool.datasource.password", "retryspool.datasource.maximum-pool-size",
                "retryspool.datasource.minimum-idle", "retryspool.sqlite.path", "retryspool.sqlite.journal-mode",
                "retryspool.sqlite.synchronous", "retryspool.sqlite.busy-timeout", "retryspool.sqlite.cache-size",
                "retryspool.jdbc.meta-table", "retryspool.jdbc.data-table", "retryspool.data.store",
                "retryspool.data.path", "retryspool.data.compression", "retryspool.data.encryption.key",
                "retryspool.data.encryption.cipher", "retryspool.flyway.enabled", "retryspool.metrics.count-refresh",
                "retryspool.destinations.concurrency", "retryspool.destinations.failure-threshold",
                "retryspool.destinations.suspend", "retryspool.destinations.limits");
    }

    @Test
    void propertyDefaultsAreTheEngineDefaults() {
        RetrySpoolProperties properties = new RetrySpoolProperties();
        assertThat(properties.getMaxAttempts()).isEqualTo(RetrySpoolBuilder.DEFAULT_MAX_ATTEMPTS);
        assertThat(properties.getDefaultPriority()).isEqualTo(MessageMetadata.DEFAULT_PRIORITY);
        assertThat(properties.getWorker().getConcurrency()).isEqualTo(RetrySpoolBuilder.DEFAULT_CONCURRENCY);
        assertThat(properties.getWorker().getBatchSize()).isEqualTo(RetrySpoolBuilder.DEFAULT_BATCH_SIZE);
        assertThat(properties.getWorker().getPollInterval()).isEqualTo(RetrySpoolBuilder.DEFAULT_POLL_INTERVAL);
        assertThat(properties.getWorker().getLeaseTimeout()).isEqualTo(RetrySpoolBuilder.DEFAULT_LEASE_TIMEOUT);
        assertThat(properties.getWorker().getShutdownGrace()).isEqualTo(RetrySpoolBuilder.DEFAULT_SHUTDOWN_GRACE);
        assertThat(properties.getWorker().getAttemptTimeout()).isEqualTo(RetrySpoolBuilder.DEFAULT_ATTEMPT_TIMEOUT);
        assertThat(properties.getArchive().getRetention()).isEqualTo(RetrySpoolBuilder.DEFAULT_ARCHIVE_RETENTION);
        assertThat(properties.getDelayWarning()).isEqualTo(RetrySpoolBuilder.DEFAULT_DELAY_WARNING);
        assertThat(properties.getRetry().getMaxLifetime()).isEqualTo(RetrySpoolBuilder.DEFAULT_MAX_LIFETIME);
        assertThat(properties.getRetry().getIntervals()).isEqualTo(ExponentialRetryPolicy.defaults().intervals());
        assertThat(properties.getJdbc().getMetaTable()).isEqualTo(JdbcTables.DEFAULT_META_TABLE);
        assertThat(properties.getJdbc().getDataTable()).isEqualTo(JdbcTables.DEFAULT_DATA_TABLE);
        assertThat(properties.getDestinations().getConcurrency()).isEqualTo(DestinationPolicy.DEFAULT_CONCURRENCY);
        assertThat(properties.getDestinations().getFailureThreshold())
                .isEqualTo(DestinationPolicy.DEFAULT_FAILURE_THRESHOLD);
        assertThat(properties.getDestinations().getSuspend()).isEqualTo(DestinationPolicy.DEFAULT_SUSPEND);
        SqliteDataSources.Options sqlite = SqliteDataSources.Options.defaults();
        assertThat(properties.getSqlite().getJournalMode()).isEqualTo(sqlite.journalMode());
        assertThat(properties.getSqlite().getSynchronous()).isEqualTo(sqlite.synchronous());
        assertThat(properties.getSqlite().getBusyTimeout()).isEqualTo(sqlite.busyTimeout());
        assertThat(properties.getSqlite().getCacheSize()).isEqualTo(sqlite.cacheSize());
    }

    @Test
    void configurationReferenceInTheDocsListsEveryProperty() throws IOException {
        Path reference = Path.of("..", "docs", "configuration.md");
        assertThat(reference).exists();
        String text = Files.readString(reference);
        List<String> all = new ArrayList<>(propertyNames());
        all.addAll(List.of("management.health.retryspool.enabled", "management.endpoint.retryspool.access"));
        List<String> missing = all.stream().filter(name -> !text.contains("`" + name + "`")).toList();
        assertThat(missing).isEmpty();
    }
}
