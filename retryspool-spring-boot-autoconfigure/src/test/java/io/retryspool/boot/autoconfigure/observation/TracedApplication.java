package io.retryspool.boot.autoconfigure.observation;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application for {@link TracingApplicationTests} with no tracing code of RetrySpool's: Boot's auto-configuration
 * (observation, Micrometer Tracing over OpenTelemetry, RetrySpool), a handler, and the spans exported to memory.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class TracedApplication {

    /** The headers of each delivered message, by its id. */
    static final Map<String, Map<String, String>> DELIVERED = new ConcurrentHashMap<>();

    @Bean
    InMemorySpanExporter spanExporter() {
        return InMemorySpanExporter.create();
    }

    @Bean
    MessageHandler mailer() {
        return new MessageHandler() {
            @Override
            public String name() {
                return "mailer";
            }

            @Override
            public void handle(MessageContext context, Message message, MessageBody body) {
                DELIVERED.put(message.id(), message.metadata().headers());
            }
        };
    }
}
