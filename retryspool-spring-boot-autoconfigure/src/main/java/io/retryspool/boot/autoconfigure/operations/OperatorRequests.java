package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.MessageFilter;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.lang.Contract;

/**
 * How the {@code retryspool} endpoint and the dashboard read an operator's request and show a message: a state's name
 * in any case, a listing's criteria, and header values masked unless the caller may see them.
 */
public final class OperatorRequests {

    /** What a header value is shown as when the caller may not see it. */
    public static final String MASK = "******";

    private OperatorRequests() {
    }

    /**
     * Reads a state's name, in any case, ignoring surrounding blanks.
     *
     * @param state the name, or null
     * @return the state, or null when there is none of that name
     */
    public static @Nullable QueueState state(@Nullable String state) {
        if (state != null) {
            String wanted = state.trim();
            for (QueueState candidate : QueueState.values()) {
                if (candidate.name().equalsIgnoreCase(wanted)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * The filter of a state's listing; blank age, error and destination criteria count as absent.
     *
     * @param state the state listed
     * @param headerName a header that must have {@code headerValue}, or null for none (a blank name is refused)
     * @param headerValue the header's value (null counts as empty)
     * @param olderThan how long ago the messages were created at least, {@code PT1H} or {@code 1h}, or blank
     * @param errorContains text the last error must contain, or blank
     * @param destination the destination the messages must have, or blank
     * @return the filter, or null when no criterion is given
     * @throws IllegalArgumentException if a criterion is malformed, naming it
     */
    public static @Nullable MessageFilter listingFilter(QueueState state, @Nullable String headerName,
                                                        @Nullable String headerValue, @Nullable String olderThan,
                                                        @Nullable String errorContains,
                                                        @Nullable String destination) {
        if (headerName == null && isBlank(olderThan) && isBlank(errorContains) && isBlank(destination)) {
            return null;
        }
        MessageFilter.Builder filter = MessageFilter.builder().state(state);
        if (headerName != null) {
            filter.headerEquals(headerName, headerValue == null ? "" : headerValue);
        }
        if (!isBlank(olderThan)) {
            filter.olderThan(BulkFilter.duration("olderThan", olderThan));
        }
        if (!isBlank(errorContains)) {
            filter.errorContains(errorContains);
        }
        if (!isBlank(destination)) {
            filter.destination(destination);
        }
        return filter.build();
    }

    /**
     * A message's headers as the caller may see them.
     *
     * @param headers the headers, in their order
     * @param showValues whether the caller may see the values; if not, each is {@value #MASK}
     * @return the headers, in the same order
     */
    public static Map<String, String> headers(Map<String, String> headers, boolean showValues) {
        if (showValues) {
            return headers;
        }
        Map<String, String> masked = new LinkedHashMap<>();
        headers.keySet().forEach(name -> masked.put(name, MASK));
        return masked;
    }

    /**
     * Returns the counts by state name, all six states in their natural order, estimates included.
     *
     * @param counts the spool's counts
     * @return each state's name and count
     */
    public static Map<String, Long> countsByName(QueueCounts counts) {
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.byState().forEach((state, count) -> byName.put(state.name(), count.value()));
        return byName;
    }

    /**
     * Returns the names of the states whose count is an estimate, in their natural order.
     *
     * @param counts the spool's counts
     * @return the names; empty when every count is exact
     */
    public static List<String> estimatedStates(QueueCounts counts) {
        return counts.byState().entrySet().stream().filter(entry -> entry.getValue().estimated())
                .map(entry -> entry.getKey().name()).toList();
    }

    /**
     * Reads a header criterion given as {@code name:value} (split at the first colon), as the endpoint takes it.
     *
     * @param header the text, or null or blank for none
     * @return the header's name and value, or null for none
     * @throws IllegalArgumentException if the text has no colon
     */
    public static Map.@Nullable Entry<String, String> headerCriterion(@Nullable String header) {
        if (isBlank(header)) {
            return null;
        }
        int colon = header.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("header: '" + header + "' is not name:value");
        }
        return Map.entry(header.substring(0, colon), header.substring(colon + 1));
    }

    @Contract("null -> true")
    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
