package io.retryspool.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How unreliable the simulated delivery endpoint is, bound from {@code sample.delivery.*}.
 *
 * @param failureRate chance, 0 to 1, that an attempt fails in a way worth retrying
 * @param permanentFailureRate chance, 0 to 1, that an attempt fails in a way no retry can fix
 */
@ConfigurationProperties("sample.delivery")
public record DeliveryProperties(@DefaultValue("0") double failureRate, @DefaultValue("0") double permanentFailureRate) {

    /**
     * Checks both rates.
     *
     * @throws IllegalArgumentException naming the property that is out of range
     */
    public DeliveryProperties {
        requireRate("sample.delivery.failure-rate", failureRate);
        requireRate("sample.delivery.permanent-failure-rate", permanentFailureRate);
        if (failureRate + permanentFailureRate > 1) {
            throw new IllegalArgumentException("sample.delivery.failure-rate plus sample.delivery.permanent-failure-rate "
                    + "must not exceed 1, was " + (failureRate + permanentFailureRate));
        }
    }

    private static void requireRate(String property, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(property + " must be between 0 and 1, was " + rate);
        }
    }
}
