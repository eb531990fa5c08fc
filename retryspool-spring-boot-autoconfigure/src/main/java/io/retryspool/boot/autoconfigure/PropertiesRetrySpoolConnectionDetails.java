package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/** {@link RetrySpoolConnectionDetails} read from {@code retryspool.datasource.*}. */
final class PropertiesRetrySpoolConnectionDetails implements RetrySpoolConnectionDetails {

    private final RetrySpoolProperties.Datasource properties;

    PropertiesRetrySpoolConnectionDetails(RetrySpoolProperties.Datasource properties) {
        this.properties = properties;
    }

    @Override
    public String getJdbcUrl() {
        return properties.getUrl().trim();
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
