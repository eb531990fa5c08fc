package io.retryspool;

import io.retryspool.checks.Arguments;
import org.jspecify.annotations.Nullable;

/**
 * How to page through a listing: page size, where to start (an offset, or the cursor of the previous
 * page) and the order. Cursors are stable while messages come and go; offsets are not, so prefer
 * {@link Builder#after(String)} for walking a whole state. A filtered listing
 * ({@link RetrySpool#list(MessageFilter, ListOptions)}) takes a cursor only, in the default order.
 */
public final class ListOptions {

    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page size. */
    public static final int MAX_LIMIT = 10_000;

    private final int limit;
    private final long offset;
    private final @Nullable String after;
    private final SortField sortBy;
    private final boolean descending;

    private ListOptions(Builder builder) {
        this.limit = builder.limit;
        this.offset = builder.offset;
        this.after = builder.after;
        this.sortBy = builder.sortBy;
        this.descending = builder.descending;
    }

    /**
     * Returns the first page of {@link #DEFAULT_LIMIT} items, oldest first.
     *
     * @return default options
     */
    public static ListOptions defaults() {
        return builder().build();
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the page size.
     *
     * @return 1 to {@link #MAX_LIMIT}
     */
    public int limit() {
        return limit;
    }

    /**
     * Returns how many items to skip.
     *
     * @return the offset; 0 when a cursor is used
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the cursor after which the page starts.
     *
     * @return the cursor of the previous page, or null
     */
    public @Nullable String after() {
        return after;
    }

    /**
     * Returns the field to order by.
     *
     * @return the sort field
     */
    public SortField sortBy() {
        return sortBy;
    }

    /**
     * Returns whether the order is descending.
     *
     * @return true for descending
     */
    public boolean descending() {
        return descending;
    }

    @Override
    public String toString() {
        return "ListOptions[limit=" + limit + ", offset=" + offset + ", after=" + after
                + ", sortBy=" + sortBy + ", descending=" + descending + "]";
    }

    /** Builds {@link ListOptions}; every setter returns the builder. */
    public static final class Builder {
        private int limit = DEFAULT_LIMIT;
        private long offset;
        private @Nullable String after;
        private SortField sortBy = SortField.CREATED;
        private boolean descending;

        private Builder() {
        }

        /**
         * Sets the page size.
         *
         * @param limit 1 to {@link #MAX_LIMIT}
         * @return this builder
         */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Skips this many items (not together with {@link #after(String)}).
         *
         * @param offset 0 or more
         * @return this builder
         */
        public Builder offset(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset: must not be negative, was " + offset);
            }
            this.offset = offset;
            return this;
        }

        /**
         * Starts after the item that the cursor names (a previous page's {@link Page#nextCursor()}).
         *
         * @param cursor the cursor, or null for the first page
         * @return this builder
         */
        public Builder after(@Nullable String cursor) {
            if (cursor != null && cursor.isBlank()) {
                throw new IllegalArgumentException("after: must not be blank");
            }
            this.after = cursor;
            return this;
        }

        /**
         * Sets the order.
         *
         * @param sortBy the field
         * @return this builder
         */
        public Builder sortBy(SortField sortBy) {
            this.sortBy = Arguments.requireNonNull("sortBy", sortBy);
            return this;
        }

        /**
         * Orders descending.
         *
         * @return this builder
         */
        public Builder descending() {
            this.descending = true;
            return this;
        }

        /**
         * Orders ascending (the default).
         *
         * @return this builder
         */
        public Builder ascending() {
            this.descending = false;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if both an offset and a cursor were given
         */
        public ListOptions build() {
            if (after != null && offset > 0) {
                throw new IllegalArgumentException("offset: cannot be combined with after (a cursor)");
            }
            return new ListOptions(this);
        }
    }
}
