package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventPositionsResetTest {

    private final SimpleEventBus eventBus = SimpleEventBus.builder().build();
    private final EventPositions positions = new EventPositions(null, eventBus);

    @AfterEach
    void forget() {
        EventPositions.forget();
    }

    @Test
    void aRequestDoesNotAnswerWithWhatAnEarlierRequestOnItsThreadLeftBehind() throws Exception {
        // given: an earlier request on this thread published and appended an event, and was told a
        // position, but ended without writing a body
        eventBus.publish(GenericEventMessage.asEventMessage("earlier"));
        EventPositions.answerWith(42);

        // when: the next request on the thread passes the filter and writes nothing itself
        new EventPositionsReset().doFilter(new MockHttpServletRequest("POST", "/v1/anything"),
                new MockHttpServletResponse(), new MockFilterChain());
        Object body = positions.beforeBodyWrite(ApiEnvelope.of(Map.of("id", "x"), "req_1"), null,
                MediaType.APPLICATION_JSON, null,
                new ServletServerHttpRequest(new MockHttpServletRequest("POST", "/v1/anything")),
                new ServletServerHttpResponse(new MockHttpServletResponse()));

        // then: no position, and nothing of the earlier request left
        assertThat(((ApiEnvelope<?>) body).meta()).doesNotContainKey("position");
        assertThat(EventPositions.takePublished()).isEmpty();
    }

    @Test
    void withoutTheFilterTheEarlierRequestsPositionWouldBeTaken() {
        // given
        EventPositions.answerWith(42);

        // when
        Object body = positions.beforeBodyWrite(ApiEnvelope.of(Map.of("id", "x"), "req_1"), null,
                MediaType.APPLICATION_JSON, null,
                new ServletServerHttpRequest(new MockHttpServletRequest("POST", "/v1/anything")),
                new ServletServerHttpResponse(new MockHttpServletResponse()));

        // then: what the filter prevents
        assertThat(((ApiEnvelope<?>) body).meta()).containsEntry("position", 42L);
    }
}
