package io.retryspool.storage;

import io.retryspool.ArchiveReason;
import io.retryspool.QueueState;
import org.junit.jupiter.api.Test;

import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NewMessageTests {

    @Test
    void aNewMessageIsNeverActive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NewMessage(message(1).state(QueueState.ACTIVE).build(), null))
                .withMessageStartingWith("metadata");
    }

    @Test
    void aNewMessageHasNoArchiveReason() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NewMessage(message(1).state(QueueState.ARCHIVED)
                        .archivedAs(ArchiveReason.DELIVERED).build(), null))
                .withMessageStartingWith("metadata").withMessageContaining("msg-00001");
    }

    @Test
    void aNewIdempotencyKeyIsNeverBlank() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NewMessage(message(1).build(), " "))
                .withMessageStartingWith("idempotencyKey");
    }
}
