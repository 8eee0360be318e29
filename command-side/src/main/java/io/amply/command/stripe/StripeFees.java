package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.command.web.ApiException;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

/**
 * The fee Stripe kept on a payment, which its webhook events do not carry: a PaymentIntent names
 * its charge only by id ({@code latest_charge: "ch_…"}), and the fee is on that charge's balance
 * transaction. It is read from Stripe's API ({@code GET /v1/charges/{id}?expand[]=balance_transaction},
 * {@link StripeApi}).
 */
@Component
class StripeFees {

    private final StripeApi api;

    StripeFees(StripeApi api) {
        this.api = api;
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
        return api.get("/v1/charges/" + StripeApi.encoded(chargeId) + "?expand%5B%5D=balance_transaction",
                "the fee of charge " + chargeId);
    }
}
