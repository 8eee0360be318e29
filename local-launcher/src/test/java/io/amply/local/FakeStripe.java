package io.amply.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe's API as far as Amply reads it: {@code GET /v1/charges/{id}?expand[]=balance_transaction}
 * with the secret key, answering the charges a test put here (404 for others, 401 for another key).
 * {@link #unavailable} makes it answer 503.
 */
final class FakeStripe implements AutoCloseable {

    static final String API_KEY = "sk_test_amply_fake_stripe";

    private final HttpServer server;
    private final Map<String, String> charges = new ConcurrentHashMap<>();
    private volatile boolean unavailable;

    private FakeStripe(HttpServer server) {
        this.server = server;
    }

    static FakeStripe start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeStripe stripe = new FakeStripe(server);
            server.createContext("/v1/charges/", stripe::charge);
            server.start();
            return stripe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command side's settings for it. */
    String[] arguments() {
        return new String[]{"--amply.stripe.api-key=" + API_KEY,
                "--amply.stripe.api-base=http://localhost:" + server.getAddress().getPort()};
    }

    /** A charge whose balance transaction is settled, in the charge's currency or another one. */
    void settled(String chargeId, long amount, String currency, long fee, String settledIn, String exchangeRate) {
        charges.put(chargeId, """
                {"id": "%s", "object": "charge", "amount": %d, "currency": "%s",
                 "balance_transaction": {"id": "txn_%s", "object": "balance_transaction", "currency": "%s", "fee": %d,
                                         "exchange_rate": %s}}""".formatted(chargeId, amount, currency, chargeId, settledIn, fee,
                exchangeRate));
    }

    void settled(String chargeId, long amount, String currency, long fee) {
        settled(chargeId, amount, currency, fee, currency, "null");
    }

    /** A charge whose balance transaction Stripe has not made yet. */
    void unsettled(String chargeId, long amount, String currency) {
        charges.put(chargeId, """
                {"id": "%s", "object": "charge", "amount": %d, "currency": "%s", "balance_transaction": null}"""
                .formatted(chargeId, amount, currency));
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    private void charge(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/v1/charges/".length());
            String charge = charges.get(id);
            if (unavailable) {
                answer(exchange, 503, "{\"error\": {\"message\": \"unavailable\"}}");
            } else if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\": {\"message\": \"Invalid API Key provided\"}}");
            } else if (!"GET".equals(exchange.getRequestMethod()) || charge == null
                    || !"expand%5B%5D=balance_transaction".equals(exchange.getRequestURI().getRawQuery())) {
                answer(exchange, 404, "{\"error\": {\"message\": \"No such charge: '" + id + "'\"}}");
            } else {
                answer(exchange, 200, charge);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
