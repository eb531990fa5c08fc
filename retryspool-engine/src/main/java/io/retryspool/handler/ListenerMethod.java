package io.retryspool.handler;

import io.retryspool.MessageTypes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/**
 * One registered {@link RetrySpoolListener} method with the object it is called on: the payload type it takes, the
 * logical type name it listens to, and its destination. Created by {@link RetrySpoolListeners}, which checks the
 * method's shape when it is registered.
 */
public final class ListenerMethod {

    private final Object bean;
    private final Method method;
    private final Class<?> payloadClass;
    private final Type payloadType;
    private final String typeName;
    private final String destination;
    private final boolean bounce;
    private final boolean takesContext;

    private ListenerMethod(Object bean, Method method, String destination, boolean bounce) {
        this.bean = bean;
        this.method = method;
        this.payloadClass = method.getParameterTypes()[0];
        this.payloadType = method.getGenericParameterTypes()[0];
        this.typeName = MessageTypes.nameOf(payloadClass);
        this.destination = destination;
        this.bounce = bounce;
        this.takesContext = method.getParameterCount() == 2;
    }

    /**
     * Checks a listener method's shape and describes it.
     *
     * @param bean the object the method is called on
     * @param method a public instance method {@code void m(T payload)} or {@code void m(T payload, MessageContext)}
     *     that {@code bean} has, where {@code T} is a concrete class (not primitive, abstract, an interface or an
     *     array)
     * @param settings the method's annotation
     * @return the description
     * @throws IllegalArgumentException naming the method if its shape cannot be mapped
     */
    static ListenerMethod of(Object bean, Method method, RetrySpoolListener settings) {
        String where = describe(method);
        if (Modifier.isStatic(method.getModifiers()) || !Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException(where + ": a @RetrySpoolListener method must be public and not static");
        }
        if (method.getReturnType() != void.class) {
            throw new IllegalArgumentException(where + ": a @RetrySpoolListener method returns void, this one returns "
                    + method.getGenericReturnType().getTypeName());
        }
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length == 0 || parameters.length > 2
                || (parameters.length == 2 && parameters[1] != MessageContext.class)) {
            throw new IllegalArgumentException(where + ": a @RetrySpoolListener method takes (T payload) or"
                    + " (T payload, MessageContext context)");
        }
        requireMappable(where, parameters[0], method.getGenericParameterTypes()[0]);
        if (!method.getDeclaringClass().isInstance(bean)) {
            throw new IllegalArgumentException(where + ": cannot be called on " + bean.getClass().getName());
        }
        if (!method.trySetAccessible()) {
            throw new IllegalArgumentException(where + ": cannot be called (its class is not accessible)");
        }
        try {
            return new ListenerMethod(bean, method, settings.destination(), settings.bounce());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void requireMappable(String where, Class<?> payload, Type genericPayload) {
        String problem = null;
        if (payload.isPrimitive() || payload.isArray()) {
            problem = "is a " + (payload.isArray() ? "array" : "primitive") + " type";
        } else if (payload == MessageContext.class || payload == Object.class) {
            problem = "names no payload type";
        } else if (payload.isInterface() || Modifier.isAbstract(payload.getModifiers())) {
            problem = "is abstract: JSON is read into a concrete class";
        } else if (genericPayload instanceof TypeVariable<?> || genericPayload instanceof WildcardType) {
            problem = "is a type variable";
        }
        if (problem != null) {
            throw new IllegalArgumentException(where + ": the payload parameter " + genericPayload.getTypeName() + " "
                    + problem);
        }
    }

    /**
     * Calls the method.
     *
     * @param payload the payload read from the message
     * @param context the attempt's context
     * @throws Exception what the method throws
     */
    public void invoke(Object payload, MessageContext context) throws Exception {
        try {
            if (takesContext) {
                method.invoke(bean, payload, context);
            } else {
                method.invoke(bean, payload);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Returns the object the method is called on.
     *
     * @return the bean
     */
    public Object bean() {
        return bean;
    }

    /**
     * Returns the method.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * Returns the payload's class.
     *
     * @return the class of the first parameter
     */
    public Class<?> payloadClass() {
        return payloadClass;
    }

    /**
     * Returns the payload's full type, generics included, as the JSON body is read into it.
     *
     * @return the generic type of the first parameter
     */
    public Type payloadType() {
        return payloadType;
    }

    /**
     * Returns the logical type name the method listens to.
     *
     * @return the {@code x-retryspool-type} value
     */
    public String typeName() {
        return typeName;
    }

    /**
     * Returns the destination the method is restricted to.
     *
     * @return the destination, or empty for any destination without a listener of its own
     */
    public String destination() {
        return destination;
    }

    /**
     * Tells whether the method handles bounces.
     *
     * @return true for a bounce listener
     */
    public boolean bounce() {
        return bounce;
    }

    @Override
    public String toString() {
        return describe(method);
    }

    private static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getName()).append('#')
                .append(method.getName()).append('(');
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            text.append(i > 0 ? ", " : "").append(parameters[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
