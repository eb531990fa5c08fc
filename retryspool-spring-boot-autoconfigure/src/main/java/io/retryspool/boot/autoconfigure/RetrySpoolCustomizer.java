package io.retryspool.boot.autoconfigure;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.RetrySpool;

/**
 * Changes the {@link RetrySpoolBuilder} before the auto-configured spool is built. Customizer beans are
 * applied in {@link org.springframework.core.annotation.Order} order, after the properties.
 */
@FunctionalInterface
public interface RetrySpoolCustomizer {

    /**
     * Customizes the builder.
     *
     * @param builder the builder, already holding the stores, properties and handlers
     */
    void customize(RetrySpoolBuilder builder);
}
