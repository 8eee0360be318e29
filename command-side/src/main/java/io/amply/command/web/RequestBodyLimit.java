package io.amply.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * No request body beyond {@code amply.api.max-body-bytes} (1 MiB) is read: every command fits in a
 * few kilobytes, and a body is read whole into memory for its {@code Idempotency-Key} hash (or a
 * single huge string by Jackson), so a gigabyte sent by one caller could otherwise take a node down.
 * A declared length beyond it is refused before anything is read; a chunked body when it passes it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class RequestBodyLimit extends OncePerRequestFilter {

    private final long limit;
    private final ObjectMapper json;

    RequestBodyLimit(@Value("${amply.api.max-body-bytes:1048576}") long limit, ObjectMapper json) {
        this.limit = limit;
        this.json = json;
    }

    /** Thrown by the body's stream once it passes the limit; {@link ApiExceptionHandler} answers it. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(new Limited(request, limit), response);
        } catch (TooLarge e) {
            if (!response.isCommitted()) { // read by a filter (an Idempotency-Key's hash), before any handler
                response.reset();
                refuse(request, response);
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(ApiErrorCode.INVALID_REQUEST.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("X-Request-Id", RequestIds.current(request));
        response.setHeader("Connection", "close"); // the rest of the body is not read
        json.writeValue(response.getOutputStream(), ApiError.of(ApiErrorCode.INVALID_REQUEST,
                "the request body is larger than " + limit + " bytes", null));
    }

    private static final class Limited extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream body;
        private final long limit;
        private long read;

        Counting(ServletInputStream body, long limit) {
            this.body = body;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = body.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = body.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }
    }
}
