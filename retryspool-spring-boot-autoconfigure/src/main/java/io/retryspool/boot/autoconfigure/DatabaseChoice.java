package io.retryspool.boot.autoconfigure;

/**
 * Which database the auto-configured JDBC stores use; the first that applies wins (DESIGN §5).
 */
enum DatabaseChoice {
    /** {@code retryspool.datasource.url} is set, or a {@link RetrySpoolConnectionDetails} bean exists: a pool of RetrySpool's own. */
    DEDICATED,
    /** One DataSource bean qualified {@link RetrySpoolDataSource}. */
    QUALIFIED,
    /** The application's single DataSource candidate (the only one, or the primary one). */
    APPLICATION,
    /** Several DataSources and none chosen: start-up fails, naming them and the fix. */
    AMBIGUOUS,
    /** No DataSource at all: the embedded SQLite file at {@code retryspool.sqlite.path}. */
    EMBEDDED
}
