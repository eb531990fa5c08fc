package io.retryspool.boot.autoconfigure.endpoint;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Settings of the {@code retryspool} endpoint, as Boot's own endpoints have them.
 */
@ConfigurationProperties("management.endpoint.retryspool")
public class RetrySpoolEndpointProperties {

    /**
     * When to show the values of message headers; otherwise each value is shown as ******.
     */
    private Show showValues = Show.NEVER;

    /**
     * Roles used to decide whether a user may see header values when show-values is when-authorized. When empty,
     * any authenticated user may.
     */
    private final Set<String> roles = new LinkedHashSet<>();

    public Show getShowValues() {
        return showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return roles;
    }
}
