package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * {@link RetrySpoolConnectionDetails} read from {@code retryspool.datasource.*}; defined only when
 * {@code retryspool.datasource.url} is set.
 */
final class PropertiesRetrySpoolConnectionDetails implements RetrySpoolConnectionDetails {

    private final RetrySpoolProperties.Datasource properties;

    PropertiesRetrySpoolConnectionDetails(RetrySpoolProperties.Datasource properties) {
        this.properties = properties;
    }

    @Override
    public String getJdbcUrl() {
        return Objects.requireNonNull(properties.getUrl(), "defined only when retryspool.datasource.url is set").trim();
    }

    @Override
    public @Nullable String getUsername() {
        return properties.getUsername();
    }

    @Override
    public @Nullable String getPassword() {
        return properties.getPassword();
    }
}
