package io.retryspool.boot.autoconfigure.aot;

import io.retryspool.RetrySpoolMessage;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.RetrySpoolListener;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.javapoet.ClassName;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * {@link RetrySpoolListenerBeanRegistrationAotProcessor}: a bean's {@link RetrySpoolListener} methods may be invoked
 * reflectively, and their payload types (with the types they contain) bound by Jackson, in a native image.
 */
class RetrySpoolListenerBeanRegistrationAotProcessorTests {

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

    @Test
    void listenerMethodsMayBeInvokedAndTheirPayloadTypesBound() {
        RuntimeHints hints = process(OrderListeners.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListeners.class, "onPlaced")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListeners.class, "onBounced")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListeners.class, "helper")).rejects(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(OrderPlaced.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderPlaced.class, "orderId")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Address.class)).as("a type inside the payload").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(OrderCancelled.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Line.class)).as("a generic payload's element").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(MessageContext.class)).as("not a payload").rejects(hints);
    }

    @Test
    void aBeanWithoutListenerMethodsContributesNothing() {
        beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(Address.class));
        assertThat(new RetrySpoolListenerBeanRegistrationAotProcessor()
                .processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
    }

    @Test
    void theProcessorIsRegisteredForAheadOfTimeProcessing() {
        assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
                .hasAtLeastOneElementOfType(RetrySpoolListenerBeanRegistrationAotProcessor.class);
    }

    private RuntimeHints process(Class<?> beanClass) {
        beanFactory.registerBeanDefinition("listeners", new RootBeanDefinition(beanClass));
        BeanRegistrationAotContribution contribution = new RetrySpoolListenerBeanRegistrationAotProcessor()
                .processAheadOfTime(RegisteredBean.of(beanFactory, "listeners"));
        assertThat(contribution).isNotNull();
        DefaultGenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(getClass())), new InMemoryGeneratedFiles());
        contribution.applyTo(generationContext, mock(BeanRegistrationCode.class));
        return generationContext.getRuntimeHints();
    }

    @RetrySpoolMessage("order-placed")
    record OrderPlaced(String orderId, Address shipTo) {
    }

    record Address(String street, String city) {
    }

    record OrderCancelled(String orderId) {
    }

    record Line(String sku, int quantity) {
    }

    static class OrderListeners {

        @RetrySpoolListener
        void onPlaced(OrderPlaced order, MessageContext context) {
        }

        @RetrySpoolListener(bounce = true)
        void onBounced(OrderCancelled order) {
        }

        @RetrySpoolListener(destination = "warehouse")
        void onLines(List<Line> lines) {
        }

        void helper(OrderPlaced order) {
        }
    }
}
