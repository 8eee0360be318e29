package io.amply.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyIT {

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    private static String donation(Api.Organisation org, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "cheque", "reference": "CHQ 1"}}""".formatted(org.id(), org.generalFund(), amount);
    }

    @Test
    void theSameKeyAndBodyReturnTheFirstResponseAndWriteNothingNew() throws SQLException {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "donation-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";

        // when
        Http.Response first = Http.post(url, Api.admin(), donation(org, 700), key);
        Http.Response again = Http.post(url, Api.admin(), donation(org, 700), key);

        // then
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw()).isEqualTo(first.raw());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflict() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "reused-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";
        Http.post(url, Api.admin(), donation(org, 700), key);

        // when
        Http.Response conflict = Http.post(url, Api.admin(), donation(org, 800), key);

        // then
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().get("error").get("code").asText()).isEqualTo("conflict");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aRequestRefusedAsInvalidIsReplayedAsRefused() {
        // given: 400s are answers too; the key stays bound to them
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "invalid-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";
        String bad = donation(org, 700).replace("GBP", "EUR");

        // when
        Http.Response first = Http.post(url, Api.admin(), bad, key);
        Http.Response again = Http.post(url, Api.admin(), bad, key);

        // then
        assertThat(first.status()).isEqualTo(400);
        assertThat(again.raw()).isEqualTo(first.raw());
    }

    @Test
    void aMalformedKeyIsRefused() {
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Http.Response refused = Http.post(stack.apps().commandUrl() + "/v1/donations", Api.admin(), donation(org, 1),
                Map.of("Idempotency-Key", "x".repeat(256)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").get("param").asText()).isEqualTo("Idempotency-Key");
    }
}
