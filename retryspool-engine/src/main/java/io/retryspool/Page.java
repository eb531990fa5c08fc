package io.retryspool;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param items the items on this page
 * @param total how many items the whole listing has, or {@link #UNKNOWN_TOTAL} when the listing does not count them
 *              (a filtered listing whose criteria only reading every message would count, see
 *              {@link RetrySpool#list(MessageFilter, ListOptions)})
 * @param hasMore whether items follow this page
 * @param nextCursor the cursor to pass to {@link ListOptions.Builder#after(String)} for the next page, or null when none follows
 * @param totalEstimated whether {@code total} is an estimate: the listing holds more items than the spool counts
 *                       exactly (see {@link Count})
 * @param <T> the item type
 */
public record Page<T>(List<T> items, long total, boolean hasMore, @Nullable String nextCursor, boolean totalEstimated) {

    /** The {@link #total()} of a listing that does not know how many items it has. */
    public static final long UNKNOWN_TOTAL = -1;

    /** Creates a page; the item list is copied. */
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Creates a page whose total is exact or unknown.
     *
     * @param items the items on this page
     * @param total how many items the whole listing has, or {@link #UNKNOWN_TOTAL}
     * @param hasMore whether items follow this page
     * @param nextCursor the next page's cursor, or null when none follows
     */
    public Page(List<T> items, long total, boolean hasMore, @Nullable String nextCursor) {
        this(items, total, hasMore, nextCursor, false);
    }

    /**
     * Returns this page with another total.
     *
     * @param count the whole listing's count, exact or estimated
     * @return the page with that total
     */
    public Page<T> withTotal(Count count) {
        return new Page<>(items, count.value(), hasMore, nextCursor, count.estimated());
    }
}
