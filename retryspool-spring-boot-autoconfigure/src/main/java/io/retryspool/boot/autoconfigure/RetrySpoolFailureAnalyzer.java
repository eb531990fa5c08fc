package io.retryspool.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link RetrySpoolConfigurationException} as Boot's "APPLICATION FAILED TO START" with its action. */
class RetrySpoolFailureAnalyzer extends AbstractFailureAnalyzer<RetrySpoolConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RetrySpoolConfigurationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
