package io.retryspool.boot.autoconfigure;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * RetrySpool cannot start as configured. Boot's failure analysis reports it as "APPLICATION FAILED TO START" with
 * its {@link #description()} and {@link #action()}.
 */
public class RetrySpoolConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * Creates the exception.
     *
     * @param description what is wrong, naming the property, bean or dependency involved
     * @param action what to do about it
     */
    public RetrySpoolConfigurationException(String description, String action) {
        this(description, action, null);
    }

    /**
     * Creates the exception.
     *
     * @param description what is wrong, naming the property, bean or dependency involved
     * @param action what to do about it
     * @param cause the underlying failure, or null
     */
    public RetrySpoolConfigurationException(String description, String action, @Nullable Throwable cause) {
        super(Objects.requireNonNull(description, "description"), cause);
        this.action = Objects.requireNonNull(action, "action");
    }

    /**
     * Returns what is wrong.
     *
     * @return the description
     */
    public String description() {
        return Objects.requireNonNull(getMessage());
    }

    /**
     * Returns what to do about it.
     *
     * @return the action
     */
    public String action() {
        return action;
    }
}
