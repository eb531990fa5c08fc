package io.retryspool.boot.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the {@code retryspool.destinations.limits.*} properties that bind to nothing, which Boot would silently ignore:
 * a destination name with dots written without brackets ({@code limits.mail.example.com.rate}, bound as the
 * destination {@code mail}, which has no property {@code example}), or a misspelt setting ({@code limits.x.rates}).
 */
final class DestinationLimitNames {

    private static final ConfigurationPropertyName LIMITS = ConfigurationPropertyName.of("retryspool.destinations.limits");
    private static final Set<String> SETTINGS = Set.of("concurrency", "rate");

    private DestinationLimitNames() {
    }

    /**
     * Checks every property under {@code retryspool.destinations.limits}: each must be
     * {@code limits.<name>.concurrency} or {@code limits.<name>.rate}, with a name that has dots in brackets.
     *
     * @param environment the application's environment
     * @throws RetrySpoolConfigurationException naming the properties that bind to nothing
     */
    static void check(Environment environment) {
        Set<String> unbound = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(LIMITS::isAncestorOf).stream().filter(name -> !understood(name))
                        .forEach(name -> unbound.add(name.toString()));
            }
        }
        if (!unbound.isEmpty()) {
            throw new RetrySpoolConfigurationException("Some retryspool.destinations.limits properties set nothing: "
                    + String.join(", ", unbound) + ". Each is retryspool.destinations.limits.<destination>.concurrency "
                    + "or .rate, and a destination whose name has dots must be written in brackets.",
                    "Write the destination's name in brackets, as in retryspool.destinations.limits[mail.example.com]"
                            + ".rate=10 (in YAML, a key \"[mail.example.com]\" under limits), and check the spelling "
                            + "of concurrency and rate (docs/configuration.md, \"Destinations\").");
        }
    }

    private static boolean understood(ConfigurationPropertyName name) {
        int elements = name.getNumberOfElements();
        return elements == LIMITS.getNumberOfElements() + 2
                && SETTINGS.contains(name.getElement(elements - 1, Form.UNIFORM));
    }
}
