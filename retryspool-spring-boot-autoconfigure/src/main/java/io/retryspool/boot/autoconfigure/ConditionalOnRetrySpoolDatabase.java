package io.retryspool.boot.autoconfigure;

import org.springframework.context.annotation.Conditional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Matches when RetrySpool's database choice is the given one; the reason shows in Boot's condition report.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnRetrySpoolDatabaseCondition.class)
@interface ConditionalOnRetrySpoolDatabase {

    /**
     * The choice this configuration serves.
     *
     * @return the choice
     */
    DatabaseChoice value();
}
