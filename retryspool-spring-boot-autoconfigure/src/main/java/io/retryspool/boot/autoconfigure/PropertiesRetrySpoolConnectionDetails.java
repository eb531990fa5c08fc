package io.retryspool.boot.autoconfigure;

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
    public String getUsername() {
        return properties.getUsername();
    }

    @Override
    public String getPassword() {
        return properties.getPassword();
    }
}
