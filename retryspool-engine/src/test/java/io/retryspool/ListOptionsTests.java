package io.retryspool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ListOptionsTests {

    @Test
    void defaultsAreTheFirstHundredOldestFirst() {
        ListOptions options = ListOptions.defaults();

        assertThat(options.limit()).isEqualTo(100).isEqualTo(ListOptions.DEFAULT_LIMIT);
        assertThat(options.offset()).isZero();
        assertThat(options.after()).isNull();
        assertThat(options.sortBy()).isEqualTo(SortField.CREATED);
        assertThat(options.descending()).isFalse();
    }

    @Test
    void builderStartsWithTheDefaults() {
        ListOptions options = ListOptions.builder().build();

        assertThat(options.limit()).isEqualTo(ListOptions.DEFAULT_LIMIT);
        assertThat(options.offset()).isZero();
        assertThat(options.after()).isNull();
        assertThat(options.sortBy()).isEqualTo(SortField.CREATED);
        assertThat(options.descending()).isFalse();
    }

    @Test
    void everySettingIsKept() {
        ListOptions options = ListOptions.builder().limit(25).offset(50).sortBy(SortField.PRIORITY).descending().build();

        assertThat(options.limit()).isEqualTo(25);
        assertThat(options.offset()).isEqualTo(50);
        assertThat(options.sortBy()).isEqualTo(SortField.PRIORITY);
        assertThat(options.descending()).isTrue();
    }

    @Test
    void ascendingUndoesDescending() {
        assertThat(ListOptions.builder().descending().ascending().build().descending()).isFalse();
    }

    @Test
    void cursorIsKept() {
        assertThat(ListOptions.builder().after("abc").build().after()).isEqualTo("abc");
    }

    @Test
    void limitOfZeroIsRejectedNamingLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().limit(0))
                .withMessageStartingWith("limit");
    }

    @Test
    void limitAboveMaxLimitIsRejectedNamingLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().limit(ListOptions.MAX_LIMIT + 1))
                .withMessageStartingWith("limit");
    }

    @Test
    void limitBoundsOneAndMaxLimitAreAllowed() {
        assertThat(ListOptions.builder().limit(1).build().limit()).isEqualTo(1);
        assertThat(ListOptions.builder().limit(ListOptions.MAX_LIMIT).build().limit()).isEqualTo(10_000);
    }

    @Test
    void negativeOffsetIsRejectedNamingOffset() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().offset(-1))
                .withMessageStartingWith("offset");
    }

    @Test
    void offsetCombinedWithAfterIsRejectedNamingOffset() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().offset(10).after("abc").build())
                .withMessageStartingWith("offset")
                .withMessageContaining("after");
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().after("abc").offset(10).build())
                .withMessageStartingWith("offset");
    }

    @Test
    void zeroOffsetWithACursorIsAllowed() {
        ListOptions options = ListOptions.builder().offset(0).after("abc").build();

        assertThat(options.offset()).isZero();
        assertThat(options.after()).isEqualTo("abc");
    }

    @Test
    void blankCursorIsRejectedNamingAfter() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().after(" "))
                .withMessageStartingWith("after");
    }

    @Test
    void nullSortFieldIsRejectedNamingSortBy() {
        assertThatIllegalArgumentException().isThrownBy(() -> ListOptions.builder().sortBy(null))
                .withMessageStartingWith("sortBy");
    }
}
