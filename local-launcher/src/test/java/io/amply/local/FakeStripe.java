package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stripe's API as far as Amply reads it, with the secret key: {@code GET /v1/charges/{id}} (with or without
 * {@code ?expand[]=balance_transaction}) answering the charges a test put here (404 for others, 401 for another key),
 * {@code GET /v1/payment_intents/{id}} naming its charge, and {@code GET /v1/refunds?charge=…} listing a charge's refunds newest first, two to a page whatever the
 * {@code limit} (Stripe may return fewer than asked; {@code has_more} and {@code starting_after} page on), so that
 * paging is exercised. {@link #unavailable} makes it answer 503.
 */
final class FakeStripe implements AutoCloseable {

    static final String API_KEY = "sk_test_amply_fake_stripe";

    private final HttpServer server;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 2;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    private final Map<String, ObjectNode> charges = new ConcurrentHashMap<>();
    /** Each charge's refunds, oldest first. */
    private final Map<String, List<ObjectNode>> refunds = new ConcurrentHashMap<>();
    private volatile boolean unavailable;
    private final java.util.concurrent.atomic.AtomicReference<Held> hold = new java.util.concurrent.atomic.AtomicReference<>();

    /** A list of refunds read and not yet answered: Stripe's answer as it was when asked, delivered when released. */
    static final class Held {
        private final java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        /** Waits until the list has been read (its answer fixed). */
        void awaitRead() throws InterruptedException {
            if (!read.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("nobody asked for the refunds");
            }
        }

        /** Lets the answer go. */
        void release() {
            released.countDown();
        }
    }

    /** The next list of refunds asked for is answered as it is then, but only once {@link Held#release()}d. */
    Held holdNextRefundsList() {
        Held held = new Held();
        hold.set(held);
        return held;
    }

    private FakeStripe(HttpServer server) {
        this.server = server;
    }

    static FakeStripe start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeStripe stripe = new FakeStripe(server);
            server.createContext("/v1/charges/", stripe::charge);
            server.createContext("/v1/refunds", stripe::refunds);
            server.createContext("/v1/payment_intents/", stripe::paymentIntent);
            // a thread per request: one held answer (holdNextRefundsList) must not hold up the others
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-stripe");
                thread.setDaemon(true);
                return thread;
            }));
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
        merge(chargeId, """
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
        merge(chargeId, """
                {"id": "%s", "object": "charge", "amount": %d, "currency": "%s", "balance_transaction": null}"""
                .formatted(chargeId, amount, currency));
    }

    /**
     * A refund of the charge (paid by the payment intent, for the donation its metadata names), new or changed: a
     * changed one (the same id) keeps its place in the list. {@code status}: succeeded, pending, failed, canceled.
     */
    void refund(String chargeId, String paymentIntent, String donationId, String currency, String refundId, long amount,
                String status, String failureReason) {
        merge(chargeId, """
                {"id": "%s", "object": "charge", "payment_intent": "%s", "currency": "%s", "metadata": {"donation_id": "%s"}}"""
                .formatted(chargeId, paymentIntent, currency, donationId));
        ObjectNode refund = (ObjectNode) read("""
                {"id": "%s", "object": "refund", "amount": %d, "charge": "%s", "payment_intent": "%s", "currency": "%s",
                 "status": "%s", "reason": "requested_by_customer", "metadata": {}}"""
                .formatted(refundId, amount, chargeId, paymentIntent, currency, status));
        refund.put("failure_reason", failureReason);
        List<ObjectNode> list = refunds.computeIfAbsent(chargeId, id -> new CopyOnWriteArrayList<>());
        synchronized (list) {
            list.replaceAll(r -> r.path("id").asText().equals(refundId) ? refund : r);
            if (list.stream().noneMatch(r -> r == refund)) {
                list.add(refund);
            }
        }
    }

    /** What the charge's refunds that have not failed or been cancelled come to. */
    long standing(String chargeId) {
        return refunds.getOrDefault(chargeId, List.of()).stream()
                .filter(r -> !List.of("failed", "canceled").contains(r.path("status").asText()))
                .mapToLong(r -> r.path("amount").asLong()).sum();
    }

    private void merge(String chargeId, String json) {
        ObjectNode fields = (ObjectNode) read(json);
        charges.merge(chargeId, fields, (old, add) -> old.deepCopy().setAll(add));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    private void charge(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/v1/charges/".length());
            ObjectNode charge = charges.get(id);
            String query = exchange.getRequestURI().getRawQuery();
            if (refused(exchange)) {
                return;
            } else if (!"GET".equals(exchange.getRequestMethod()) || charge == null
                    || query != null && !"expand%5B%5D=balance_transaction".equals(query)) {
                answer(exchange, 404, "{\"error\": {\"message\": \"No such charge: '" + id + "'\"}}");
            } else {
                ObjectNode answer = charge.deepCopy();
                if (query == null && answer.path("balance_transaction").isObject()) {
                    answer.put("balance_transaction", answer.path("balance_transaction").path("id").asText()); // not expanded
                }
                answer(exchange, 200, answer.toString());
            }
        }
    }

    /** A payment intent named by a charge a test put here, with that charge as its latest. */
    private void paymentIntent(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/v1/payment_intents/".length());
            if (refused(exchange)) {
                return;
            }
            String charge = charges.values().stream().filter(c -> id.equals(c.path("payment_intent").asText()))
                    .map(c -> c.path("id").asText()).findFirst().orElse(null);
            if (!"GET".equals(exchange.getRequestMethod()) || charge == null) {
                answer(exchange, 404, "{\"error\": {\"message\": \"No such payment_intent: '" + id + "'\"}}");
            } else {
                answer(exchange, 200, JSON.createObjectNode().put("id", id).put("object", "payment_intent")
                        .put("latest_charge", charge).toString());
            }
        }
    }

    private void refunds(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            if (!"GET".equals(exchange.getRequestMethod()) || !query.containsKey("charge")) {
                answer(exchange, 400, "{\"error\": {\"message\": \"list refunds of a charge\"}}");
                return;
            }
            List<ObjectNode> newestFirst = new ArrayList<>(refunds.getOrDefault(query.get("charge"), List.of()));
            Collections.reverse(newestFirst);
            int from = 0;
            if (query.containsKey("starting_after")) {
                from = newestFirst.stream().map(r -> r.path("id").asText()).toList().indexOf(query.get("starting_after")) + 1;
                if (from == 0) {
                    answer(exchange, 400, "{\"error\": {\"message\": \"No such refund: " + query.get("starting_after") + "\"}}");
                    return;
                }
            }
            int limit = Math.min(PAGE, Integer.parseInt(query.getOrDefault("limit", "10")));
            List<ObjectNode> page = newestFirst.subList(Math.min(from, newestFirst.size()), Math.min(from + limit, newestFirst.size()));
            ObjectNode list = JSON.createObjectNode().put("object", "list").put("url", "/v1/refunds")
                    .put("has_more", from + limit < newestFirst.size());
            list.putArray("data").addAll(page);
            Held held = hold.getAndSet(null);
            if (held != null) {
                held.read.countDown();
                try {
                    held.released.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(exchange, 200, list.toString());
        }
    }

    /** How many requests were made of this fake Stripe so far (each counts, answered or refused). */
    long requests() {
        return requests.get();
    }

    /** Answers 503 while unavailable, 401 for another key; true when it did. Every handler asks it first. */
    private boolean refused(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (unavailable) {
            answer(exchange, 503, "{\"error\": {\"message\": \"unavailable\"}}");
            return true;
        }
        if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"error\": {\"message\": \"Invalid API Key provided\"}}");
            return true;
        }
        return false;
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
