package io.amply.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Request bodies are read exactly as sent: a member the request does not have is refused (a
 * misspelt {@code "visiblity": "internal_only"} would otherwise record the entry with the
 * organisation's default, perhaps public), and so is a value of the wrong JSON type: {@code "100"}
 * is not an amount, {@code 2} not a visibility, {@code "true"} or {@code 1} not a boolean, {@code 5}
 * not a name. A member named twice is refused too: a proxy or log reading the first
 * {@code "visibility"} would see another request than the one recorded (Jackson keeps the last).
 * A moment or a date is a string as RFC 3339 writes it ({@code "2026-12-01T00:00:00Z"}, {@code "2026-12-01"}):
 * Jackson's own readers also take a number, or a string of digits, as seconds or days since 1970 (and a huge
 * one as 1970 itself), and a date as {@code [2026, 12, 1]}.
 * Only the HTTP converter reads this way; Axon's serializer keeps the application's mapper.
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestBodies {

    @Bean
    MappingJackson2HttpMessageConverter mappingJackson2HttpMessageConverter(ObjectMapper applicationMapper) {
        ObjectMapper strict = applicationMapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        strict.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        strict.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        strict.registerModule(new SimpleModule("rfc3339-dates")
                .addDeserializer(Instant.class, new Rfc3339<>(Instant.class, text -> OffsetDateTime.parse(text).toInstant()))
                .addDeserializer(LocalDate.class, new Rfc3339<>(LocalDate.class, LocalDate::parse)));
        return new MappingJackson2HttpMessageConverter(strict);
    }

    /** A JSON string parsed as RFC 3339; anything else is refused as the wrong type or format. */
    private static final class Rfc3339<T> extends StdScalarDeserializer<T> {

        private final transient Function<String, T> parse;

        Rfc3339(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (T) context.handleUnexpectedToken(handledType(), parser);
            }
            try {
                return parse.apply(parser.getText());
            } catch (DateTimeParseException e) {
                return (T) context.handleWeirdStringValue(handledType(), parser.getText(), "not an RFC 3339 %s",
                        handledType() == Instant.class ? "date-time with its offset" : "date");
            }
        }
    }
}
