package io.retryspool.storage;

import io.retryspool.ListOptions;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.SortField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ListCursorTests {

    private static final Instant CREATED = Instant.parse("2024-03-01T10:00:00.123456789Z");

    private static MessageMetadata item(String id) {
        return MessageMetadata.builder().id(id).state(QueueState.DEFERRED).created(CREATED)
                .nextRetry(CREATED.plusSeconds(60)).updated(CREATED.plusSeconds(30)).priority(42).build();
    }

    private static ListOptions options(SortField sortBy, boolean descending, String after) {
        ListOptions.Builder builder = ListOptions.builder().sortBy(sortBy).after(after);
        return (descending ? builder.descending() : builder).build();
    }

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    // --- round trip ---

    @ParameterizedTest
    @EnumSource(SortField.class)
    void cursorRoundTripsThroughEncodeAndDecodeInAscendingOrder(SortField sortBy) {
        ListCursor cursor = ListCursor.after(options(sortBy, false, null), item("m-1"));

        ListCursor decoded = ListCursor.decode(options(sortBy, false, cursor.encode()));

        assertThat(decoded).isEqualTo(cursor);
        assertThat(decoded.sortBy()).isEqualTo(sortBy);
        assertThat(decoded.descending()).isFalse();
        assertThat(decoded.id()).isEqualTo("m-1");
    }

    @ParameterizedTest
    @EnumSource(SortField.class)
    void cursorRoundTripsThroughEncodeAndDecodeInDescendingOrder(SortField sortBy) {
        ListCursor cursor = ListCursor.after(options(sortBy, true, null), item("m-1"));

        ListCursor decoded = ListCursor.decode(options(sortBy, true, cursor.encode()));

        assertThat(decoded).isEqualTo(cursor);
        assertThat(decoded.descending()).isTrue();
    }

    @Test
    void idsWithSeparatorsAndNonAsciiCharactersRoundTrip() {
        ListCursor cursor = new ListCursor(SortField.CREATED, false, -5, "a|b|c ü ✓");

        assertThat(ListCursor.decode(options(SortField.CREATED, false, cursor.encode()))).isEqualTo(cursor);
    }

    @Test
    void extremeSortValuesRoundTrip() {
        ListCursor min = new ListCursor(SortField.UPDATED, true, Long.MIN_VALUE, "x");
        ListCursor max = new ListCursor(SortField.UPDATED, true, Long.MAX_VALUE, "y");

        assertThat(ListCursor.decode(options(SortField.UPDATED, true, min.encode()))).isEqualTo(min);
        assertThat(ListCursor.decode(options(SortField.UPDATED, true, max.encode()))).isEqualTo(max);
    }

    @Test
    void encodedCursorIsUrlSafe() {
        String encoded = new ListCursor(SortField.NEXT_RETRY, true, 1234567890123L, "id/with+chars?&=").encode();

        assertThat(encoded).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void afterTakesTheSortKeyOfTheLastItem() {
        MessageMetadata last = item("m-9");

        assertThat(ListCursor.after(options(SortField.CREATED, false, null), last))
                .isEqualTo(new ListCursor(SortField.CREATED, false, ListCursor.epochMicros(CREATED), "m-9"));
        assertThat(ListCursor.after(options(SortField.PRIORITY, true, null), last))
                .isEqualTo(new ListCursor(SortField.PRIORITY, true, 42, "m-9"));
    }

    @Test
    void sortValueIsEpochMicrosForTimesAndTheNumberForPriority() {
        MessageMetadata metadata = item("m-1");

        assertThat(ListCursor.sortValue(metadata, SortField.CREATED)).isEqualTo(ListCursor.epochMicros(CREATED));
        assertThat(ListCursor.sortValue(metadata, SortField.UPDATED))
                .isEqualTo(ListCursor.epochMicros(CREATED.plusSeconds(30)));
        assertThat(ListCursor.sortValue(metadata, SortField.NEXT_RETRY))
                .isEqualTo(ListCursor.epochMicros(CREATED.plusSeconds(60)));
        assertThat(ListCursor.sortValue(metadata, SortField.PRIORITY)).isEqualTo(42);
    }

    // --- malformed ---

    @ParameterizedTest
    @ValueSource(strings = {"not a cursor!", "%%%", "abc$", "aGVsbG8", "Zm9v=bar"})
    void garbageCursorIsRejectedNamingAfter(String cursor) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    @Test
    void cursorOfAnotherVersionIsRejectedNamingAfter() {
        String cursor = base64("c2|CREATED|A|1000|m-1");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    @Test
    void cursorWithAnEmptyIdIsRejectedNamingAfter() {
        String cursor = base64("c1|CREATED|A|1000|");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    @Test
    void cursorWithMissingPartsIsRejectedNamingAfter() {
        String cursor = base64("c1|CREATED|A|1000");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    @Test
    void cursorWithANonNumericSortValueIsRejectedNamingAfter() {
        String cursor = base64("c1|CREATED|A|soon|m-1");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    @Test
    void cursorWithAnUnknownSortFieldIsRejectedNamingAfter() {
        String cursor = base64("c1|SIZE|A|1000|m-1");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.CREATED, false, cursor)))
                .withMessageStartingWith("after");
    }

    // --- another order ---

    @Test
    void cursorDecodedForAnotherSortFieldIsRejected() {
        String cursor = ListCursor.after(options(SortField.CREATED, false, null), item("m-1")).encode();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.PRIORITY, false, cursor)))
                .withMessageStartingWith("after")
                .withMessageContaining("CREATED")
                .withMessageContaining("PRIORITY");
    }

    @Test
    void cursorDecodedForTheOtherDirectionIsRejected() {
        String ascending = ListCursor.after(options(SortField.NEXT_RETRY, false, null), item("m-1")).encode();
        String descending = ListCursor.after(options(SortField.NEXT_RETRY, true, null), item("m-1")).encode();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.NEXT_RETRY, true, ascending)))
                .withMessageStartingWith("after")
                .withMessageContaining("ascending");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ListCursor.decode(options(SortField.NEXT_RETRY, false, descending)))
                .withMessageStartingWith("after")
                .withMessageContaining("descending");
    }

    // --- epochMicros ---

    @Test
    void epochMicrosOfTheEpochIsZero() {
        assertThat(ListCursor.epochMicros(Instant.EPOCH)).isZero();
    }

    @Test
    void epochMicrosCountsMicrosecondsAndDropsNanoseconds() {
        assertThat(ListCursor.epochMicros(Instant.ofEpochSecond(1, 2_345_678))).isEqualTo(1_002_345L);
        assertThat(ListCursor.epochMicros(Instant.parse("2024-03-01T10:00:00.123456789Z")))
                .isEqualTo(Instant.parse("2024-03-01T10:00:00Z").getEpochSecond() * 1_000_000L + 123_456L);
    }

    @Test
    void epochMicrosPreservesOrderAtMicrosecondPrecision() {
        Instant earlier = Instant.parse("2024-03-01T10:00:00.000001Z");
        Instant later = Instant.parse("2024-03-01T10:00:00.000002Z");

        assertThat(ListCursor.epochMicros(earlier)).isLessThan(ListCursor.epochMicros(later));
        assertThat(ListCursor.epochMicros(later) - ListCursor.epochMicros(earlier)).isEqualTo(1);
    }
}
