package io.retryspool;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;

/**
 * The headers of typed messages and the logical type names they carry. A payload sent with
 * {@link RetrySpool#send(Object)} is stored as JSON with {@value #CONTENT_TYPE_HEADER}: {@value #JSON} and
 * {@value #TYPE_HEADER}: its type's name, which is the {@link RetrySpoolMessage} value of its class, else the
 * class's simple name.
 */
public final class MessageTypes {

    /** The header naming a typed message's logical type. */
    public static final String TYPE_HEADER = "x-retryspool-type";
    /** The header giving the body's media type. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** The media type of typed messages' bodies. */
    public static final String JSON = "application/json";

    private MessageTypes() {
    }

    /**
     * Returns the logical name of a payload type.
     *
     * @param type the payload's class
     * @return its {@link RetrySpoolMessage} value, else its simple name
     * @throws IllegalArgumentException naming {@code type} if the type has no usable name: an anonymous class
     *     without {@link RetrySpoolMessage}, or an annotation value that is blank, longer than 255 characters or
     *     contains NUL
     */
    public static String nameOf(Class<?> type) {
        Arguments.requireNonNull("type", type);
        RetrySpoolMessage annotation = type.getAnnotation(RetrySpoolMessage.class);
        if (annotation != null) {
            return InputLimits.requireMessageType("type: @RetrySpoolMessage of " + type.getName(), annotation.value());
        }
        if (type.getSimpleName().isEmpty()) {
            throw new IllegalArgumentException("type: " + type.getName()
                    + " has no simple name; give it a name with @RetrySpoolMessage");
        }
        return type.getSimpleName();
    }
}
