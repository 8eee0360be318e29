package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.web.ApiException;
import io.amply.events.api.ApiErrorCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.Locale;

/**
 * The fee Stripe kept on a payment, which its webhook events do not carry: a PaymentIntent names
 * its charge only by id ({@code latest_charge: "ch_…"}), and the fee is on that charge's balance
 * transaction. It is read from Stripe's API ({@code GET /v1/charges/{id}?expand[]=balance_transaction})
 * with the account's secret key, before the event's database transaction starts, so that no
 * transaction waits on Stripe.
 */
@Component
class StripeFees {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String apiKey;
    private final String apiBase;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    StripeFees(@Value("${amply.stripe.api-key:}") String apiKey,
               @Value("${amply.stripe.api-base:https://api.stripe.com}") String apiBase, ObjectMapper json) {
        this.apiKey = apiKey;
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        this.json = json;
    }

    /**
     * The fee of the PaymentIntent's charge, in the payment's currency (minor units). A charge whose
     * balance transaction is in another currency (the account settles in another one) has its fee
     * converted back at the transaction's own exchange rate, to the nearest minor unit.
     *
     * @throws ApiException {@code conflict} while the charge has no balance transaction yet (Stripe
     *                      delivers the event again later), {@code server_error} when Stripe cannot be asked
     */
    /**
     * The id of the payment intent's charge, where Stripe's event names it: {@code latest_charge} (an id, or the
     * charge expanded), or on API versions before 2022-11-15 the first of {@code charges}; "" when it names none.
     */
    static String chargeId(JsonNode intent) {
        JsonNode charge = intent.path("latest_charge");
        if (charge.isMissingNode() || charge.isNull()) {
            charge = intent.path("charges").path("data").path(0);
        }
        return charge.isTextual() ? charge.asText() : charge.path("id").asText("");
    }

    long of(JsonNode intent) {
        JsonNode charge = intent.path("latest_charge");
        if (charge.isMissingNode() || charge.isNull()) {
            charge = intent.path("charges").path("data").path(0); // API versions before 2022-11-15
        }
        if (charge.isTextual() || charge.path("balance_transaction").isTextual()) {
            charge = fetch(charge.isTextual() ? charge.asText() : charge.path("id").asText());
        }
        if (!charge.isObject()) {
            throw ApiException.invalid("data.object.latest_charge", "a succeeded payment names its charge");
        }
        JsonNode transaction = charge.path("balance_transaction");
        if (!transaction.isObject()) {
            throw ApiException.conflict("charge " + charge.path("id").asText() + " has no balance transaction yet, so its "
                    + "fee is not known; deliver the event again later");
        }
        long fee = transaction.path("fee").asLong();
        String paid = intent.path("currency").asText();
        if (transaction.path("currency").asText().equalsIgnoreCase(paid)) {
            return fee;
        }
        // exchange_rate: an amount in the payment's currency times the rate is the amount in the settlement
        // currency, both in major units; each currency has its own minor units (JPY none, EUR two)
        BigDecimal rate = transaction.path("exchange_rate").decimalValue();
        if (rate.signum() <= 0) {
            throw new IllegalStateException("balance transaction " + transaction.path("id").asText() + " is in "
                    + transaction.path("currency").asText() + ", not " + paid.toLowerCase(Locale.ROOT) + ", and names no exchange rate");
        }
        BigDecimal settled = new BigDecimal(fee).movePointLeft(minorDigits(transaction.path("currency").asText()));
        return settled.divide(rate, 12, RoundingMode.HALF_UP).movePointRight(minorDigits(paid))
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static int minorDigits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Stripe named a currency Java does not know: " + currency, e);
        }
    }

    private JsonNode fetch(String chargeId) {
        if (apiKey.isBlank()) {
            throw new ApiException(ApiErrorCode.SERVER_ERROR, "the Stripe API key (amply.stripe.api-key) is not configured, "
                    + "so the fee of charge " + chargeId + " cannot be read", null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/v1/charges/"
                        + URLEncoder.encode(chargeId, StandardCharsets.UTF_8) + "?expand%5B%5D=balance_transaction"))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Stripe answered " + response.statusCode() + " for charge " + chargeId);
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("could not read charge " + chargeId + " from Stripe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading charge " + chargeId + " from Stripe", e);
        }
    }
}
