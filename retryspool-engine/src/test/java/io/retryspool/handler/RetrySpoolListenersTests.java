package io.retryspool.handler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.retryspool.RetrySpool;
import io.retryspool.RetrySpoolMessage;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How listener methods are registered and checked: what is mapped, and the errors for what cannot be. */
class RetrySpoolListenersTests {

    @RetrySpoolMessage("invoice")
    public record Invoice(String number) {
    }

    @RetrySpoolMessage(" ")
    public record BlankName(String value) {
    }

    /** Two creators marked as such: Jackson refuses to build a reader for it. */
    public static final class TwoCreators {
        @JsonCreator
        public TwoCreators(@JsonProperty("a") String a) {
        }

        @JsonCreator
        public TwoCreators(@JsonProperty("b") Integer b) {
        }
    }

    public static class Invoices {
        @RetrySpoolListener
        public void on(Invoice invoice) {
        }
    }

    public static class MoreInvoices {
        @RetrySpoolListener
        public void handle(Invoice invoice, MessageContext context) {
        }
    }

    @Test
    void aTypeHasOneListenerPerDestinationAndKind() {
        RetrySpoolListeners listeners = new RetrySpoolListeners().add(new Object() {
            @RetrySpoolListener
            public void any(Invoice invoice) {
            }

            @RetrySpoolListener(destination = "eu")
            public void europe(Invoice invoice) {
            }

            @RetrySpoolListener(bounce = true)
            public void bounced(Invoice invoice, MessageContext context) {
            }
        });

        assertThat(listeners.methods()).extracting(ListenerMethod::typeName).containsOnly("invoice");
        assertThat(listeners.find(false, "invoice", "eu")).map(l -> l.method().getName()).contains("europe");
        assertThat(listeners.find(false, "invoice", "us")).map(l -> l.method().getName()).contains("any");
        assertThat(listeners.find(false, "invoice", null)).map(l -> l.method().getName()).contains("any");
        assertThat(listeners.find(true, "invoice", "eu")).map(l -> l.method().getName()).contains("bounced");
        assertThat(listeners.handles(false, "Invoice")).isFalse();
        assertThat(listeners.hasBounceListeners()).isTrue();
    }

    @Test
    void aSecondListenerForATypeAndDestinationIsAnErrorNamingBothMethods() {
        RetrySpoolListeners listeners = new RetrySpoolListeners().add(new Invoices());

        assertThatThrownBy(() -> listeners.add(new MoreInvoices()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Two @RetrySpoolListener methods for type 'invoice' and any destination: "
                        + Invoices.class.getName() + "#on(Invoice) and " + MoreInvoices.class.getName()
                        + "#handle(Invoice, MessageContext)");
        assertThat(listeners.methods()).hasSize(1);
    }

    @Test
    void methodsWhoseParametersCannotBeMappedAreErrorsNamingTheMethod() {
        Map<Object, String> wrong = Map.of(
                new Object() {
                    @RetrySpoolListener
                    public void none() {
                    }
                }, "takes (T payload) or (T payload, MessageContext context)",
                new Object() {
                    @RetrySpoolListener
                    public void two(Invoice invoice, String extra) {
                    }
                }, "takes (T payload) or (T payload, MessageContext context)",
                new Object() {
                    @RetrySpoolListener
                    public void primitive(int number) {
                    }
                }, "the payload parameter int is a primitive type",
                new Object() {
                    @RetrySpoolListener
                    public void abstractType(Runnable task) {
                    }
                }, "the payload parameter java.lang.Runnable is abstract",
                new Object() {
                    @RetrySpoolListener
                    public void anything(Object payload) {
                    }
                }, "names no payload type",
                new Object() {
                    @RetrySpoolListener
                    public String answers(Invoice invoice) {
                        return "";
                    }
                }, "returns void, this one returns java.lang.String",
                new Object() {
                    @RetrySpoolListener
                    void hidden(Invoice invoice) {
                    }
                }, "must be public and not static",
                new Object() {
                    @RetrySpoolListener
                    public void blank(BlankName payload) {
                    }
                }, "@RetrySpoolMessage of " + BlankName.class.getName() + ": must not be blank");
        wrong.forEach((bean, problem) -> assertThatThrownBy(() -> new RetrySpoolListeners().add(bean))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bean.getClass().getName() + "#")
                .hasMessageContaining(problem));
    }

    @Test
    void aPayloadTypeJacksonCannotReadStopsTheSpoolsStart() {
        RetrySpool spool = RetrySpool.builder().store(SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()))
                .listener(new Object() {
                    @RetrySpoolListener
                    public void on(TwoCreators payload) {
                    }
                }).build();
        try {
            assertThatThrownBy(spool::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("#on(TwoCreators): the payload parameter")
                    .hasMessageContaining("cannot be read from JSON");
        } finally {
            spool.close();
        }
    }

    @Test
    void aListenerDeclaredOnAClassIsCalledOnAnObjectStandingForIt() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Invoices target = new Invoices() {
            @Override
            public void on(Invoice invoice) {
                calls.add("subclass " + invoice.number());
            }
        };

        RetrySpoolListeners listeners = new RetrySpoolListeners().add(target, Invoices.class);
        listeners.find(false, "invoice", null).orElseThrow().invoke(new Invoice("7"), null);

        assertThat(calls).containsExactly("subclass 7");
    }
}
