package io.retryspool.boot.autoconfigure;

import io.retryspool.StorageException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link StorageException} that stopped start-up (the spool's database unreachable, its schema not
 * migratable, a database file that cannot be opened) as Boot's "APPLICATION FAILED TO START".
 */
class RetrySpoolStorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StorageException cause) {
        String detail = rootFailure != cause && rootFailure.getMessage() != null
                ? "\n\nUnderlying failure: " + rootFailure.getMessage() : "";
        return new FailureAnalysis("RetrySpool could not use its database: " + cause.getMessage() + detail,
                "Check that the database RetrySpool uses is reachable and that its user may create tables there. "
                        + "The INFO line 'RetrySpool uses ...' at start-up names that database; docs/configuration.md "
                        + "('Which database the spool uses') explains how it is chosen.", cause);
    }
}
