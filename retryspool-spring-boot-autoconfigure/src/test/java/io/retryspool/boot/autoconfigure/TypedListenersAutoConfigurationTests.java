package io.retryspool.boot.autoconfigure;

import io.retryspool.MessageBody;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.RetrySpoolMessage;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.RetrySpoolListener;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @RetrySpoolListener} methods of beans receive typed messages in an auto-configured spool, read and written
 * with the application's JSON mapper; listeners that cannot be used stop the start with the reason.
 */
class TypedListenersAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.worker.poll-interval=20ms",
                    "retryspool.archive.success=true");

    @RetrySpoolMessage("ticket-opened")
    public record TicketOpened(String ticketId, String openedBy) {
    }

    /** A listener that also sends with the spool it is called by. */
    public static class TicketListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final RetrySpool spool;

        public TicketListener(RetrySpool spool) {
            this.spool = spool;
        }

        @RetrySpoolListener
        public void on(TicketOpened ticket, MessageContext context) {
            calls.add(ticket.ticketId() + " by " + ticket.openedBy() + ", attempt " + context.attempt());
        }

        RetrySpool spool() {
            return spool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ApplicationWithSnakeCaseJson {
        @Bean
        JsonMapper jsonMapper() {
            return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        }

        @Bean
        TicketListener ticketListener(RetrySpool spool) {
            return new TicketListener(spool);
        }
    }

    @Test
    void aBeanThatInjectsTheSpoolReceivesItsTypedMessagesReadWithTheApplicationsJsonMapper() {
        runner.withUserConfiguration(ApplicationWithSnakeCaseJson.class).run(context -> {
            TicketListener listener = context.getBean(TicketListener.class);

            String id = listener.spool().send(new TicketOpened("T-17", "kim"));

            try (MessageBody body = listener.spool().openBody(id)) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("\"ticket_id\":\"T-17\"");
            }
            await().atMost(WAIT).until(() -> listener.calls.size() == 1);
            assertThat(listener.calls).containsExactly("T-17 by kim, attempt 1");
            await().atMost(WAIT).until(() -> listener.spool().getMessage(id).metadata().state() == QueueState.ARCHIVED);
        });
    }

    @Test
    void theJsonMapperOfBootsJacksonAutoConfigurationWritesThePayloads() {
        runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .withPropertyValues("spring.jackson.property-naming-strategy=KEBAB_CASE")
                .withBean(TicketListener.class)
                .run(context -> {
                    TicketListener listener = context.getBean(TicketListener.class);

                    String id = listener.spool().send(new TicketOpened("T-19", "ana"));

                    try (MessageBody body = listener.spool().openBody(id)) {
                        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                                .contains("\"ticket-id\":\"T-19\"", "\"opened-by\":\"ana\"");
                    }
                    await().atMost(WAIT).until(() -> listener.calls.size() == 1);
                    assertThat(listener.calls).containsExactly("T-19 by ana, attempt 1");
                });
    }

    /** A listener whose bean is a class-based proxy, as a transactional or otherwise advised bean is. */
    public static class AdvisedListener {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @RetrySpoolListener
        public void on(TicketOpened ticket) {
            calls.add(ticket.ticketId());
        }
    }

    @Test
    void aProxiedListenerIsCalledThroughItsProxy() {
        AtomicInteger advised = new AtomicInteger();
        AdvisedListener target = new AdvisedListener();
        runner.withBean(AdvisedListener.class, () -> {
            ProxyFactory factory = new ProxyFactory(target);
            factory.setProxyTargetClass(true);
            factory.addAdvice((MethodInterceptor) invocation -> {
                advised.incrementAndGet();
                return invocation.proceed();
            });
            return (AdvisedListener) factory.getProxy();
        }).run(context -> {
            context.getBean(RetrySpool.class).send(new TicketOpened("T-18", "lee"));

            await().atMost(WAIT).until(() -> target.calls.size() == 1);
            assertThat(target.calls).containsExactly("T-18");
            assertThat(advised).hasValue(1);
        });
    }

    public static class FirstTicketListener {
        @RetrySpoolListener
        public void on(TicketOpened ticket) {
        }
    }

    public static class SecondTicketListener {
        @RetrySpoolListener
        public void handle(TicketOpened ticket) {
        }
    }

    @Test
    void twoListenersOfOneTypeStopTheStartNamingBothMethods() {
        runner.withBean("first", FirstTicketListener.class).withBean("second", SecondTicketListener.class)
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("Bean 'second' has a @RetrySpoolListener method the spool cannot use")
                        .hasMessageContaining("Two @RetrySpoolListener methods for type 'ticket-opened' and any"
                                + " destination: " + FirstTicketListener.class.getName() + "#on(TicketOpened) and "
                                + SecondTicketListener.class.getName() + "#handle(TicketOpened)"));
    }

    public static class ListenerWithAnUnmappableParameter {
        @RetrySpoolListener
        public void on(TicketOpened ticket, String extra) {
        }
    }

    @Test
    void aParameterThatCannotBeMappedStopsTheStartNamingTheMethod() {
        runner.withBean("unmappable", ListenerWithAnUnmappableParameter.class)
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("Bean 'unmappable' has a @RetrySpoolListener method the spool cannot use")
                        .hasMessageContaining(ListenerWithAnUnmappableParameter.class.getName()
                                + "#on(TicketOpened, String): a @RetrySpoolListener method takes (T payload) or"
                                + " (T payload, MessageContext context)"));
    }
}
