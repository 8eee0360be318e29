package io.amply.query.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every answer is JSON, whatever the request's {@code Accept} says, as on the command side: a read sent
 * with {@code Accept: text/plain} found no writer for its envelope and was answered as a server error.
 * The downloads choose their own type (a transactions CSV reads {@code Accept} itself; an export is
 * JSON Lines).
 */
@Configuration(proxyBeanMethods = false)
class JsonAnswers implements WebMvcConfigurer {

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer negotiation) {
        negotiation.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
    }
}
