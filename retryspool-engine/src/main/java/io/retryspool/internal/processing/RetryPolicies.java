package io.retryspool.internal.processing;

import io.retryspool.MessageMetadata;
import io.retryspool.retry.RetryPolicy;

import java.util.Map;

/** The default retry policy and the named ones; an unknown or absent name gives the default. */
public final class RetryPolicies {

    private final RetryPolicy defaultPolicy;
    private final Map<String, RetryPolicy> named;

    /**
     * Creates the registry.
     *
     * @param defaultPolicy the default policy
     * @param named the named policies
     */
    public RetryPolicies(RetryPolicy defaultPolicy, Map<String, RetryPolicy> named) {
        this.defaultPolicy = defaultPolicy;
        this.named = Map.copyOf(named);
    }

    /**
     * Returns the policy a message uses.
     *
     * @param metadata the message
     * @return its named policy, or the default one
     */
    public RetryPolicy policyFor(MessageMetadata metadata) {
        String name = metadata.retryPolicyName();
        return name == null ? defaultPolicy : named.getOrDefault(name, defaultPolicy);
    }
}
