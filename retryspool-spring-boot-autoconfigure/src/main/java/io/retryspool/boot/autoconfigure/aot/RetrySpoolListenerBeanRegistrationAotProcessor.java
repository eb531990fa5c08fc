package io.retryspool.boot.autoconfigure.aot;

import org.jspecify.annotations.Nullable;
import io.retryspool.handler.RetrySpoolListener;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * Prepares the {@link RetrySpoolListener} methods of beans for a native image: each method may be invoked
 * reflectively, and its payload type (the first parameter, generics included) may be read from JSON by Jackson.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
class RetrySpoolListenerBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    private static final BindingReflectionHintsRegistrar BINDING = new BindingReflectionHintsRegistrar();

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        Set<Method> listeners = MethodIntrospector.selectMethods(beanClass,
                (MethodIntrospector.MetadataLookup<Boolean>) method ->
                        AnnotatedElementUtils.hasAnnotation(method, RetrySpoolListener.class) ? Boolean.TRUE : null)
                .keySet();
        if (listeners.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
            for (Method listener : listeners) {
                reflection.registerMethod(listener, ExecutableMode.INVOKE);
                if (listener.getParameterCount() > 0) {
                    BINDING.registerReflectionHints(reflection, listener.getGenericParameterTypes()[0]);
                }
            }
        };
    }
}
