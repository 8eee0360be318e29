package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.web.ApiException;
import io.amply.events.api.ApiErrorCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads from Stripe's API with the account's secret key ({@code amply.stripe.api-key}), what its webhook events do not
 * carry: a charge's fee, and its refunds as they stand now. Called before an event's database transaction starts, so
 * that no transaction waits on Stripe.
 */
@Component
class StripeApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A Stripe code (card_declined, requested_by_customer, expired_or_canceled_card, …): it names no one. */
    private static final Pattern CODE = Pattern.compile("[a-z_]{1,50}");

    private final String apiKey;
    private final String apiBase;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    StripeApi(@Value("${amply.stripe.api-key:}") String apiKey,
              @Value("${amply.stripe.api-base:https://api.stripe.com}") String apiBase, ObjectMapper json) {
        this.apiKey = apiKey;
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        this.json = json;
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * {@code GET path}, its answer's JSON.
     *
     * @param what what is read, for the errors
     * @throws ApiException          {@code server_error} when no API key is configured
     * @throws IllegalStateException when Stripe cannot be asked or answers other than 200 (a server error, so Stripe
     *                               delivers the event again later)
     */
    JsonNode get(String path, String what) {
        if (apiKey.isBlank()) {
            throw new ApiException(ApiErrorCode.SERVER_ERROR, "the Stripe API key (amply.stripe.api-key) is not configured, "
                    + "so " + what + " cannot be read", null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + path))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw new Missing("Stripe has no " + what);
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Stripe answered " + response.statusCode() + " for " + what);
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + what + " from Stripe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what + " from Stripe", e);
        }
    }

    /** Stripe has no such object in this account (404): another account's or environment's id, or none at all. */
    static final class Missing extends IllegalStateException {
        Missing(String message) {
            super(message);
        }
    }

    /**
     * Stripe's code as it is, since it names no one and goes into the hashed ledger; anything else is not taken in, as
     * it could never be erased from there.
     */
    static String code(JsonNode value, String otherwise) {
        String text = value.asText("");
        return CODE.matcher(text).matches() ? text : otherwise;
    }
}
