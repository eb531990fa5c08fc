package io.retryspool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QueueStateTests {

    @Test
    void codesAreIdenticalToTheGoOriginal() {
        assertThat(QueueState.INCOMING.code()).isEqualTo(0);
        assertThat(QueueState.ACTIVE.code()).isEqualTo(1);
        assertThat(QueueState.DEFERRED.code()).isEqualTo(2);
        assertThat(QueueState.HOLD.code()).isEqualTo(3);
        assertThat(QueueState.BOUNCE.code()).isEqualTo(4);
        assertThat(QueueState.ARCHIVED.code()).isEqualTo(5);
    }

    @Test
    void thereAreExactlySixStates() {
        assertThat(QueueState.values()).hasSize(6);
    }

    @ParameterizedTest
    @EnumSource(QueueState.class)
    void fromCodeReturnsTheStateWhoseCodeItIsGiven(QueueState state) {
        assertThat(QueueState.fromCode(state.code())).isSameAs(state);
    }

    @Test
    void fromCodeMapsEachStoredCodeToItsState() {
        assertThat(QueueState.fromCode(0)).isEqualTo(QueueState.INCOMING);
        assertThat(QueueState.fromCode(1)).isEqualTo(QueueState.ACTIVE);
        assertThat(QueueState.fromCode(2)).isEqualTo(QueueState.DEFERRED);
        assertThat(QueueState.fromCode(3)).isEqualTo(QueueState.HOLD);
        assertThat(QueueState.fromCode(4)).isEqualTo(QueueState.BOUNCE);
        assertThat(QueueState.fromCode(5)).isEqualTo(QueueState.ARCHIVED);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 6, 42, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void fromCodeRejectsAnUnknownCodeNamingTheArgument(int code) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> QueueState.fromCode(code))
                .withMessageStartingWith("code")
                .withMessageContaining(Integer.toString(code));
    }
}
