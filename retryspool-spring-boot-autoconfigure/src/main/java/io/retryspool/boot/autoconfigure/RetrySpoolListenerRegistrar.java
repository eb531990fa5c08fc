package io.retryspool.boot.autoconfigure;

import io.retryspool.handler.RetrySpoolListener;
import io.retryspool.handler.RetrySpoolListeners;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers the {@link RetrySpoolListener} methods of every bean, once it is initialized, with the application's
 * {@link RetrySpoolListeners}. The methods are read from the bean's own class and called on the bean as the context
 * holds it, so a proxied listener (transactional, say) runs through its proxy. A method that cannot be mapped, or a
 * second listener for a type and destination, fails the bean's creation with the reason.
 */
final class RetrySpoolListenerRegistrar implements BeanPostProcessor {

    private final ObjectProvider<RetrySpoolListeners> listeners;
    private final Map<Class<?>, Boolean> hasListenerMethods = new ConcurrentHashMap<>();

    RetrySpoolListenerRegistrar(ObjectProvider<RetrySpoolListeners> listeners) {
        this.listeners = listeners;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RetrySpoolListeners) {
            return bean;
        }
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (hasListenerMethods.computeIfAbsent(targetClass, RetrySpoolListenerRegistrar::declaresListeners)) {
            try {
                listeners.getObject().add(bean, targetClass);
            } catch (IllegalArgumentException e) {
                throw new BeanInitializationException("Bean '" + beanName + "' has a @RetrySpoolListener method the"
                        + " spool cannot use: " + e.getMessage(), e);
            }
        }
        return bean;
    }

    private static boolean declaresListeners(Class<?> type) {
        boolean[] found = {false};
        ReflectionUtils.doWithMethods(type, method -> found[0] = true,
                method -> method.isAnnotationPresent(RetrySpoolListener.class));
        return found[0];
    }
}
