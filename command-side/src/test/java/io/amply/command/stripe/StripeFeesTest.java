package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.web.ApiException;
import io.amply.events.api.ApiErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The fee of a payment from what the event carries; asking Stripe is covered by StripeWebhookIT. */
class StripeFeesTest {

    private final ObjectMapper json = new ObjectMapper();
    private final StripeFees withoutKey = new StripeFees(new StripeApi("", "http://localhost:9", json));

    private JsonNode intent(String charge) throws Exception {
        return json.readTree("{\"id\": \"pi_1\", \"currency\": \"gbp\", \"latest_charge\": " + charge + "}");
    }

    @Test
    void aChargeTheEventCarriesWithItsBalanceTransactionNeedsNoQuestion() throws Exception {
        // when
        long fee = withoutKey.of(intent("{\"id\": \"ch_1\", \"balance_transaction\": {\"currency\": \"gbp\", \"fee\": 175}}"));

        // then
        assertThat(fee).isEqualTo(175);
    }

    @Test
    void aFeeInTheSettlementCurrencyIsConvertedBackToTheNearestMinorUnit() throws Exception {
        // when: 1.17 euros to the pound
        long half = withoutKey.of(intent("""
                {"id": "ch_1", "balance_transaction": {"currency": "eur", "fee": 117, "exchange_rate": 1.17}}"""));
        long rounded = withoutKey.of(intent("""
                {"id": "ch_1", "balance_transaction": {"currency": "eur", "fee": 200, "exchange_rate": 1.17}}"""));

        // then
        assertThat(half).isEqualTo(100);
        assertThat(rounded).isEqualTo(171);
    }

    @Test
    void aFeeSettledInACurrencyWithoutMinorUnitsIsScaledToThePaymentsOwn() throws Exception {
        // when: 190 yen to the pound, fee 380 yen
        long fee = withoutKey.of(intent("""
                {"id": "ch_1", "balance_transaction": {"currency": "jpy", "fee": 380, "exchange_rate": 190}}"""));

        // then: 2 pounds
        assertThat(fee).isEqualTo(200);
    }

    @Test
    void aChargeNamedOnlyByIdCannotBeReadWithoutAKeyAndSaysSo() throws Exception {
        // when
        ApiException refused = catchThrowableOfType(() -> withoutKey.of(intent("\"ch_1\"")), ApiException.class);

        // then: our failure (500, Stripe delivers it again), never a fee of 0
        assertThat(refused.code()).isEqualTo(ApiErrorCode.SERVER_ERROR);
        assertThat(refused.getMessage()).contains("amply.stripe.api-key");
    }

    @Test
    void aChargeWithoutItsBalanceTransactionYetIsAConflictForStripeToRetry() throws Exception {
        // when
        ApiException refused = catchThrowableOfType(() -> withoutKey.of(intent("{\"id\": \"ch_1\", \"balance_transaction\": null}")),
                ApiException.class);

        // then
        assertThat(refused.code()).isEqualTo(ApiErrorCode.CONFLICT);
    }
}
