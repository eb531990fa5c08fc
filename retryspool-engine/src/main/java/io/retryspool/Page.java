package io.retryspool;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items on this page
 * @param total how many items the whole listing has, or {@link #UNKNOWN_TOTAL} when the listing does not count them
 *              (a filtered listing whose criteria only reading every message would count, see
 *              {@link RetrySpool#list(MessageFilter, ListOptions)})
 * @param hasMore whether items follow this page
 * @param nextCursor the cursor to pass to {@link ListOptions.Builder#after(String)} for the next page, or null when none follows
 * @param <T> the item type
 */
public record Page<T>(List<T> items, long total, boolean hasMore, String nextCursor) {

    /** The {@link #total()} of a listing that does not know how many items it has. */
    public static final long UNKNOWN_TOTAL = -1;

    /** Creates a page; the item list is copied. */
    public Page {
        items = List.copyOf(items);
    }
}
