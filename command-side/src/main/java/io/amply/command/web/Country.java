package io.amply.command.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An ISO 3166-1 alpha-2 country code that is assigned ({@code GB}, not {@code ZZ}), as the public directory
 * filters by it; {@code XK} (Kosovo, user-assigned but in common use) too. Null passes: {@code @NotNull} says
 * whether one is needed.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Country.Assigned.class)
public @interface Country {

    String message() default "must be an ISO 3166-1 alpha-2 country code, e.g. GB";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Assigned implements ConstraintValidator<Country, String> {

        private static final Set<String> CODES = Stream.concat(Stream.of(Locale.getISOCountries()), Stream.of("XK"))
                .collect(Collectors.toUnmodifiableSet());

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CODES.contains(value);
        }
    }
}
