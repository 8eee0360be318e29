package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
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
    private final SimpleCommandBus commandBus = SimpleCommandBus.builder().build();
    private final EventPositions positions = new EventPositions(null, eventBus, commandBus);

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
    void aFailureAfterARequestsCommandCommittedIsNotAnsweredAsIfNothingWereWritten() throws Exception {
        // given: a request whose command committed, then a read that gave up waiting for a lock
        commandBus.subscribe(String.class.getName(), command -> "done");
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/anything");
        CannotAcquireLockException gaveUp = new CannotAcquireLockException("lock timeout");
        assertThat(ApiExceptionHandler.failure(gaveUp, request).getStatusCode().value()).isEqualTo(429);

        // when
        commandBus.dispatch(GenericCommandMessage.asCommandMessage("record it"));

        // then: ours (500), not "nothing written, send it again" (429)
        assertThat(ApiExceptionHandler.failure(gaveUp, request).getStatusCode().value()).isEqualTo(500);
        // and other requests' commands run on this thread (a donation batch it led) do not count as its own
        EventPositions.forget();
        EventPositions.runForOthers(() -> commandBus.dispatch(GenericCommandMessage.asCommandMessage("theirs")));
        assertThat(ApiExceptionHandler.failure(gaveUp, request).getStatusCode().value()).isEqualTo(429);
        // and the next request on the thread starts with nothing committed
        commandBus.dispatch(GenericCommandMessage.asCommandMessage("record it"));
        new EventPositionsReset().doFilter(new MockHttpServletRequest("POST", "/v1/anything"),
                new MockHttpServletResponse(), new MockFilterChain());
        assertThat(ApiExceptionHandler.failure(gaveUp, request).getStatusCode().value()).isEqualTo(429);
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
