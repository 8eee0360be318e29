package io.amply.events.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a controller method answers in the envelope's {@code data}: a record whose components are its
 * members (snake_case on the wire), or a list of them. The OpenAPI documents describe the answer with
 * it ({@link OpenApiData}); the integration tests hold every answer they get to it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiData {

    /** The record that describes {@code data}, or each element of it. */
    Class<?> value();

    /** {@code data} is a list of {@link #value()}, with {@code has_more} and {@code next_cursor} (null on the last page). */
    boolean list() default false;
}
