package io.retryspool.storage.shard;

import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.Page;
import io.retryspool.storage.ListCursor;
import io.retryspool.storage.SelectionKey;
import io.retryspool.storage.SelectionPage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Merges the shards' pages of one listing into one page, in the listing's order (the sort key, then the id). Every
 * shard is asked for a page after the same cursor; a shard that has more than it returned bounds the merged page at
 * its last item (items after it may still be missing from the merge), so the merged page holds the first items of
 * the whole listing, and its cursor, the position of its last item, serves every shard for the next page.
 */
final class MergedListing {

    private MergedListing() {
    }

    /**
     * One page of a state's listing.
     *
     * @param pageOf reads the page of every shard (offset 0, limit as asked)
     */
    static Page<Message> list(ListOptions options, Function<ListOptions, List<Page<Message>>> pageOf) {
        if (options.after() != null || options.offset() == 0) {
            return merge(options, pageOf.apply(options));
        }
        return skipThenList(options, pageOf);
    }

    /** An offset page: the merged listing walked by cursor up to the offset, then the page. */
    private static Page<Message> skipThenList(ListOptions options, Function<ListOptions, List<Page<Message>>> pageOf) {
        long skipped = 0;
        String after = null;
        while (skipped < options.offset()) {
            int step = (int) Math.min(ListOptions.MAX_LIMIT, options.offset() - skipped);
            Page<Message> passed = merge(withCursor(options, after, step), pageOf.apply(withCursor(options, after, step)));
            skipped += passed.items().size();
            after = passed.nextCursor();
            if (after == null) {
                return new Page<>(List.of(), passed.total(), false, null, passed.totalEstimated());
            }
        }
        ListOptions page = withCursor(options, after, options.limit());
        return merge(page, pageOf.apply(page));
    }

    private static ListOptions withCursor(ListOptions options, @Nullable String after, int limit) {
        ListOptions.Builder builder = ListOptions.builder().limit(limit).sortBy(options.sortBy());
        if (options.descending()) {
            builder.descending();
        }
        if (after != null) {
            builder.after(after);
        }
        return builder.build();
    }

    static Page<Message> merge(ListOptions options, List<Page<Message>> pages) {
        Comparator<MessageMetadata> order = Comparator
                .comparingLong((MessageMetadata metadata) -> ListCursor.sortValue(metadata, options.sortBy()))
                .thenComparing(MessageMetadata::id);
        if (options.descending()) {
            order = order.reversed();
        }
        List<MessageMetadata> all = new ArrayList<>();
        MessageMetadata bound = null;
        long total = 0;
        boolean unknownTotal = false;
        boolean estimated = false;
        for (Page<Message> page : pages) {
            page.items().forEach(message -> all.add(message.metadata()));
            if (page.hasMore() && !page.items().isEmpty()) {
                MessageMetadata last = page.items().get(page.items().size() - 1).metadata();
                bound = bound == null || order.compare(last, bound) < 0 ? last : bound;
            }
            unknownTotal |= page.total() == Page.UNKNOWN_TOTAL;
            total += Math.max(page.total(), 0);
            estimated |= page.totalEstimated();
        }
        all.sort(order);
        List<Message> items = new ArrayList<>(options.limit());
        boolean more = bound != null;
        for (MessageMetadata metadata : all) {
            if (items.size() == options.limit() || bound != null && order.compare(metadata, bound) > 0) {
                more = true;
                break;
            }
            items.add(Message.of(metadata));
        }
        String next = more && !items.isEmpty()
                ? ListCursor.after(options, items.get(items.size() - 1).metadata()).encode() : null;
        return new Page<>(items, unknownTotal ? Page.UNKNOWN_TOTAL : total, more && next != null, next, estimated);
    }

    /** One page of a filtered listing (ascending by creation, then id), as {@code listMatching} gives it. */
    static SelectionPage mergeMatching(List<SelectionPage> pages, int limit) {
        List<MessageMetadata> all = new ArrayList<>();
        SelectionKey bound = null;
        for (SelectionPage page : pages) {
            all.addAll(page.matches());
            if (page.next() != null) {
                bound = bound == null || SelectionKey.ORDER.compare(page.next(), bound) < 0 ? page.next() : bound;
            }
        }
        all.sort(Comparator.comparing(SelectionKey::of, SelectionKey.ORDER));
        List<MessageMetadata> matches = new ArrayList<>(limit);
        SelectionKey next = bound;
        for (MessageMetadata metadata : all) {
            SelectionKey key = SelectionKey.of(metadata);
            if (bound != null && SelectionKey.ORDER.compare(key, bound) > 0) {
                break;
            }
            if (matches.size() == limit) {
                next = SelectionKey.of(matches.get(limit - 1));
                break;
            }
            matches.add(metadata);
        }
        return new SelectionPage(matches, next);
    }
}
