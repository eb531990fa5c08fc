package io.retryspool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageFilterTests {

    @Test
    void aFilterWithoutCriteriaMatchesEverything() {
        MessageFilter filter = MessageFilter.builder().build();

        assertThat(filter.state()).isEmpty();
        assertThat(filter.headers()).isEmpty();
        assertThat(filter.olderThan()).isEmpty();
        assertThat(filter.errorContains()).isEmpty();
        assertThat(filter.destination()).isEmpty();
        assertThat(filter).hasToString("MessageFilter[all messages]");
    }

    @Test
    void everyCriterionIsKeptAndHeadersKeepTheirOrder() {
        MessageFilter filter = MessageFilter.builder().state(QueueState.DEFERRED).headerEquals("tenant", "acme")
                .headerEquals("kind", "mail").olderThan(Duration.ofHours(1)).errorContains("refused")
                .destination("mx.example.com").build();

        assertThat(filter.state()).contains(QueueState.DEFERRED);
        assertThat(filter.headers()).containsExactly(Map.entry("tenant", "acme"), Map.entry("kind", "mail"));
        assertThat(filter.olderThan()).contains(Duration.ofHours(1));
        assertThat(filter.errorContains()).contains("refused");
        assertThat(filter.destination()).contains("mx.example.com");
        assertThat(filter).hasToString("MessageFilter[state=DEFERRED, header tenant=\"acme\", header kind=\"mail\","
                + " olderThan=PT1H, errorContains=\"refused\", destination=\"mx.example.com\"]");
    }

    @Test
    void aBuiltFilterDoesNotChangeWithItsBuilderAndItsHeadersCannotBeChanged() {
        MessageFilter.Builder builder = MessageFilter.builder().headerEquals("tenant", "acme");
        MessageFilter filter = builder.build();
        builder.headerEquals("kind", "mail");

        assertThat(filter.headers()).containsOnlyKeys("tenant");
        assertThatThrownBy(() -> filter.headers().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void filtersWithTheSameCriteriaAreEqual() {
        assertThat(MessageFilter.builder().state(QueueState.HOLD).headerEquals("a", "1").build())
                .isEqualTo(MessageFilter.builder().state(QueueState.HOLD).headerEquals("a", "1").build())
                .hasSameHashCodeAs(MessageFilter.builder().state(QueueState.HOLD).headerEquals("a", "1").build())
                .isNotEqualTo(MessageFilter.builder().state(QueueState.HOLD).build());
        assertThat(MessageFilter.builder().destination("mx.example.com").build())
                .isEqualTo(MessageFilter.builder().destination("mx.example.com").build())
                .hasSameHashCodeAs(MessageFilter.builder().destination("mx.example.com").build())
                .isNotEqualTo(MessageFilter.builder().destination("MX.example.com").build())
                .isNotEqualTo(MessageFilter.builder().build());
    }

    @Test
    void zeroAgeIsAllowed() {
        assertThat(MessageFilter.builder().olderThan(Duration.ZERO).build().olderThan()).contains(Duration.ZERO);
    }

    @Test
    void badCriteriaAreRefusedNamingTheArgument() {
        MessageFilter.Builder builder = MessageFilter.builder();

        assertThatThrownBy(() -> builder.state(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("state:");
        assertThatThrownBy(() -> builder.headerEquals(" ", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:");
        assertThatThrownBy(() -> builder.headerEquals(null, "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("name:");
        assertThatThrownBy(() -> builder.headerEquals("n", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("headerEquals:");
        assertThatThrownBy(() -> builder.headerEquals("n".repeat(257), "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("headerEquals:");
        assertThatThrownBy(() -> builder.headerEquals("n", "a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("headerEquals:");
        assertThatThrownBy(() -> builder.olderThan(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("age:");
        assertThatThrownBy(() -> builder.olderThan(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("age:");
        assertThatThrownBy(() -> builder.errorContains("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("text:");
        assertThatThrownBy(() -> builder.errorContains(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("text:");
        assertThatThrownBy(() -> builder.errorContains("a\0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("text:");
        assertThatThrownBy(() -> builder.destination(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination: must not be null");
        assertThatThrownBy(() -> builder.destination(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination: must not be blank");
        assertThatThrownBy(() -> builder.destination("d".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination: must have at most 255 characters, was 256 characters");
        assertThatThrownBy(() -> builder.destination("mx\0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("destination: must not contain NUL");
        assertThat(builder.destination("d".repeat(255)).build().destination()).contains("d".repeat(255));
    }

    @Test
    void aHeaderNameTakesOneValue() {
        MessageFilter.Builder builder = MessageFilter.builder().headerEquals("tenant", "acme");

        assertThatThrownBy(() -> builder.headerEquals("tenant", "other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:")
                .hasMessageContaining("tenant");
        assertThat(builder.build().headers()).isEqualTo(new LinkedHashMap<>(Map.of("tenant", "acme")));
    }
}
