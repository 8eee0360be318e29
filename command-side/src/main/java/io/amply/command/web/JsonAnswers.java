package io.amply.command.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every answer is JSON, whatever the request's {@code Accept} says. Spring picks the response's type
 * after the controller has run: a donation sent with {@code Accept: text/plain} was recorded, then
 * answered 406 with no body (and its {@code Idempotency-Key} kept that answer), so the client never
 * learnt its id and a retry recorded it twice (CommandApiIT).
 */
@Configuration(proxyBeanMethods = false)
class JsonAnswers implements WebMvcConfigurer {

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer negotiation) {
        negotiation.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
    }
}
