package io.retryspool.storage;

import io.retryspool.ListOptions;
import io.retryspool.MessageMetadata;
import io.retryspool.SortField;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The position of the last item of a page, for keyset pagination: the sort key of that item and its id
 * (the tie-breaker). Encoded as an opaque URL-safe string that also records the order it was made for,
 * so a cursor is never applied to a listing in another order. Times are compared at microsecond precision.
 *
 * @param sortBy the field the listing is ordered by
 * @param descending whether the order is descending
 * @param sortValue the last item's sort key: epoch microseconds for times, the number for priority
 * @param id the last item's id
 */
public record ListCursor(SortField sortBy, boolean descending, long sortValue, String id) {

    private static final String VERSION = "c1";

    /**
     * Returns the cursor that points just after the given item.
     *
     * @param options the listing's options
     * @param last the last item of the page
     * @return the cursor
     */
    public static ListCursor after(ListOptions options, MessageMetadata last) {
        return new ListCursor(options.sortBy(), options.descending(), sortValue(last, options.sortBy()), last.id());
    }

    /**
     * Returns an item's sort key.
     *
     * @param metadata the item
     * @param sortBy the field
     * @return epoch microseconds for times, the number for priority
     */
    public static long sortValue(MessageMetadata metadata, SortField sortBy) {
        return switch (sortBy) {
            case CREATED -> epochMicros(metadata.created());
            case UPDATED -> epochMicros(metadata.updated());
            case NEXT_RETRY -> epochMicros(metadata.nextRetry());
            case PRIORITY -> metadata.priority();
        };
    }

    /**
     * Returns an instant as microseconds since the epoch.
     *
     * @param instant the instant
     * @return microseconds since 1970-01-01T00:00:00Z
     */
    public static long epochMicros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /**
     * Encodes the cursor.
     *
     * @return an opaque, URL-safe string
     */
    public String encode() {
        String raw = VERSION + "|" + sortBy.name() + "|" + (descending ? "D" : "A") + "|" + sortValue + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes the cursor in {@code options.after()}.
     *
     * @param options the listing's options
     * @return the cursor
     * @throws IllegalArgumentException if the cursor is malformed or was made for another order
     */
    public static ListCursor decode(ListOptions options) {
        String cursor = options.after();
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 5);
        } catch (IllegalArgumentException e) {
            throw malformed(cursor);
        }
        if (parts.length != 5 || !VERSION.equals(parts[0]) || !(parts[2].equals("A") || parts[2].equals("D"))
                || parts[4].isEmpty()) {
            throw malformed(cursor);
        }
        ListCursor decoded;
        try {
            decoded = new ListCursor(SortField.valueOf(parts[1]), "D".equals(parts[2]), Long.parseLong(parts[3]), parts[4]);
        } catch (IllegalArgumentException e) {
            throw malformed(cursor);
        }
        if (decoded.sortBy != options.sortBy() || decoded.descending != options.descending()) {
            throw new IllegalArgumentException("after: the cursor was made for a listing sorted by " + decoded.sortBy
                    + (decoded.descending ? " descending" : " ascending") + ", not by " + options.sortBy()
                    + (options.descending() ? " descending" : " ascending"));
        }
        return decoded;
    }

    private static IllegalArgumentException malformed(@Nullable String cursor) {
        return new IllegalArgumentException("after: '" + cursor + "' is not a cursor returned by a listing");
    }
}
