package io.retryspool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a payload type the logical name stored with its messages in the {@code x-retryspool-type} header, such as
 * {@code @RetrySpoolMessage("order-placed")}. Listeners are chosen by that name, so a class can be renamed or moved
 * without stranding the messages already waiting; a type without this annotation is named by its simple class
 * name. The spool never loads a class named by a header.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RetrySpoolMessage {

    /**
     * Returns the type's logical name.
     *
     * @return 1 to 255 characters, not blank, without NUL
     */
    String value();
}
