package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardAttemptsTests {

    @Test
    void whenEveryPartFailsTheFirstFailureIsThrown() {
        ShardAttempts attempts = new ShardAttempts();
        StorageException a = new StorageException("shard 'a' down", null);
        StorageException b = new StorageException("shard 'b' down", null);

        assertThat(attempts.attempt(() -> {
            throw a;
        })).isSameAs(a);
        assertThat(attempts.attempt(() -> {
            throw b;
        })).isSameAs(b);

        assertThatThrownBy(attempts::throwIfEveryAttemptFailed).isSameAs(a);
    }

    @Test
    void onePartThatSucceededKeepsTheOthersFailuresFromBeingThrownAndTheWorkAfterAFailureStillRuns() {
        ShardAttempts attempts = new ShardAttempts();
        List<String> done = new ArrayList<>();

        attempts.attempt(() -> {
            throw new StorageException("shard 'a' down", null);
        });
        assertThat(attempts.attempt(() -> done.add("b"))).isNull();

        assertThat(done).containsExactly("b");
        assertThatCode(attempts::throwIfEveryAttemptFailed).doesNotThrowAnyException();
    }

    @Test
    void nothingTriedThrowsNothingAndOtherExceptionsAreNotKept() {
        ShardAttempts attempts = new ShardAttempts();
        assertThatCode(attempts::throwIfEveryAttemptFailed).doesNotThrowAnyException();

        assertThatThrownBy(() -> attempts.attempt(() -> {
            throw new IllegalStateException("a bug, not an outage");
        })).isInstanceOf(IllegalStateException.class);
    }
}
