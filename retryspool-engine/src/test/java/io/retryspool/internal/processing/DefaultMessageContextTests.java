package io.retryspool.internal.processing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DefaultMessageContextTests {

    @Test
    void headersAHandlerSetsObeyTheInputLimits() {
        DefaultMessageContext context = new DefaultMessageContext("m-1", 1, Map.of());

        context.setHeader("n".repeat(256), "ok");
        assertThatIllegalArgumentException().isThrownBy(() -> context.setHeader("n".repeat(257), "v"))
                .withMessageStartingWith("headers: a header name must have 1 to 256 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> context.setHeader("a", "\0"))
                .withMessageStartingWith("headers: the value of header 'a' must not contain NUL");

        assertThat(context.headers()).containsOnlyKeys("n".repeat(256));
    }

    @Test
    void theMessagesStoredHeadersAndTheHandlersTogetherKeepWithin64Kib() {
        DefaultMessageContext context = new DefaultMessageContext("m-1", 1, Map.of("body", "v".repeat(60_000)));

        context.setHeader("a", "v".repeat(5_531)); // 4 + 60_000 + 1 + 5_531 = 65_536 bytes: exactly the limit
        assertThatIllegalArgumentException().isThrownBy(() -> context.setHeader("b", "v".repeat(100)))
                .withMessageStartingWith("headers: must have at most 65536 bytes together");
        context.setHeader("body", "small");
        context.setHeader("b", "v".repeat(100));

        assertThat(context.headers()).containsOnlyKeys("a", "body", "b");
    }
}
