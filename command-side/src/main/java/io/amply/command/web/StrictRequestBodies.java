package io.amply.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Request bodies are read exactly as sent: a member the request does not have is refused (a
 * misspelt {@code "visiblity": "internal_only"} would otherwise record the entry with the
 * organisation's default, perhaps public), and so is a value of the wrong JSON type: {@code "100"}
 * is not an amount, {@code 2} not a visibility, {@code "true"} or {@code 1} not a boolean, {@code 5}
 * not a name. A member named twice is refused too: a proxy or log reading the first
 * {@code "visibility"} would see another request than the one recorded (Jackson keeps the last).
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
        return new MappingJackson2HttpMessageConverter(strict);
    }
}
