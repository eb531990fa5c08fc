package io.retryspool.handler;

import io.retryspool.checks.Arguments;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RetrySpoolListener} methods a spool delivers typed messages to. Objects are registered with
 * {@link #add(Object)}; each of their listener methods is checked then, so a method that cannot be mapped, or a
 * second listener for a type and destination that already has one, is an error at start-up rather than a surprise
 * at delivery. Listeners may be added while the spool runs. Thread-safe.
 */
public final class RetrySpoolListeners {

    /** Listeners by kind and type name, then by destination ("" for any); replaced whole on every change. */
    private final Map<TypeKey, Map<String, ListenerMethod>> byType = new ConcurrentHashMap<>();
    private final List<ListenerMethod> all = new ArrayList<>();
    /** Whether a bounce listener is registered: asked at every claim, so kept rather than computed. */
    private volatile boolean bounceListeners;

    /**
     * Registers the listener methods of an object's class.
     *
     * @param bean the object; its class's public methods annotated {@link RetrySpoolListener}, inherited ones
     *     included, are registered
     * @return this registry
     * @throws IllegalArgumentException naming the method if one cannot be mapped or clashes with a registered one
     */
    public RetrySpoolListeners add(Object bean) {
        Arguments.requireNonNull("bean", bean);
        return add(bean, bean.getClass());
    }

    /**
     * Registers the listener methods of a class on an object that stands for it, such as a proxy of a Spring bean
     * whose annotations are on the class it proxies. Each method is called on {@code bean}: the method itself when
     * {@code bean} is an instance of its class, else {@code bean}'s public method of the same name and parameters.
     *
     * @param bean the object the methods are called on
     * @param listenerClass the class whose annotated methods are registered
     * @return this registry
     * @throws IllegalArgumentException naming the method if one cannot be mapped or clashes with a registered one
     */
    public synchronized RetrySpoolListeners add(Object bean, Class<?> listenerClass) {
        Arguments.requireNonNull("bean", bean);
        Arguments.requireNonNull("listenerClass", listenerClass);
        List<ListenerMethod> found = new ArrayList<>();
        for (Method method : annotatedMethods(listenerClass)) {
            found.add(ListenerMethod.of(bean, callable(bean, method), method.getAnnotation(RetrySpoolListener.class)));
        }
        Map<TypeKey, Map<String, ListenerMethod>> changed = new LinkedHashMap<>();
        for (ListenerMethod listener : found) {
            TypeKey key = new TypeKey(listener.bounce(), listener.typeName());
            Map<String, ListenerMethod> destinations = changed.computeIfAbsent(key,
                    k -> new LinkedHashMap<>(byType.getOrDefault(k, Map.of())));
            ListenerMethod clash = destinations.putIfAbsent(listener.destination(), listener);
            if (clash != null) {
                throw new IllegalArgumentException("Two @RetrySpoolListener" + (listener.bounce() ? "(bounce = true)" : "")
                        + " methods for type '" + listener.typeName() + "' and "
                        + (listener.destination().isEmpty() ? "any destination" : "destination '" + listener.destination() + "'")
                        + ": " + clash + " and " + listener);
            }
        }
        changed.forEach((key, destinations) -> byType.put(key, Map.copyOf(destinations)));
        all.addAll(found);
        bounceListeners |= found.stream().anyMatch(ListenerMethod::bounce);
        return this;
    }

    /**
     * Returns every registered listener method.
     *
     * @return the methods in registration order
     */
    public synchronized List<ListenerMethod> methods() {
        return List.copyOf(all);
    }

    /**
     * Tells whether a listener takes messages of a type.
     *
     * @param bounce true for bounce listeners, false for delivery listeners
     * @param typeName the {@code x-retryspool-type} value
     * @return true if at least one listener of that kind has the type, whatever its destination
     */
    public boolean handles(boolean bounce, String typeName) {
        return byType.containsKey(new TypeKey(bounce, typeName));
    }

    /**
     * Finds the listener for a message: the one of its type and destination, else the one of its type for any
     * destination.
     *
     * @param bounce true for bounce listeners, false for delivery listeners
     * @param typeName the {@code x-retryspool-type} value
     * @param destination the message's destination, or null for none
     * @return the listener, or empty when none fits
     */
    public Optional<ListenerMethod> find(boolean bounce, String typeName, @Nullable String destination) {
        Map<String, ListenerMethod> destinations = byType.getOrDefault(new TypeKey(bounce, typeName), Map.of());
        @Nullable ListenerMethod own = destination == null ? null : destinations.get(destination);
        return Optional.ofNullable(own != null ? own : destinations.get(""));
    }

    /**
     * Tells whether any bounce listener is registered.
     *
     * @return true if at least one listener has {@code bounce = true}
     */
    public boolean hasBounceListeners() {
        return bounceListeners;
    }

    private static List<Method> annotatedMethods(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(RetrySpoolListener.class) && !method.isBridge()
                        && methods.stream().noneMatch(seen -> overrides(seen, method))) {
                    methods.add(method);
                }
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            for (Method method : i.getMethods()) {
                if (method.isAnnotationPresent(RetrySpoolListener.class)
                        && methods.stream().noneMatch(seen -> overrides(seen, method))) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    private static boolean overrides(Method a, Method b) {
        return a.getName().equals(b.getName()) && Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
    }

    private static Method callable(Object bean, Method method) {
        if (method.getDeclaringClass().isInstance(bean) || !Modifier.isPublic(method.getModifiers())) {
            return method;
        }
        try {
            return bean.getClass().getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return method;
        }
    }

    private record TypeKey(boolean bounce, String typeName) {
    }
}
