package io.amply.events.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The answers' records as the OpenAPI documents describe them. */
class OpenApiDataTest {

    @io.swagger.v3.oas.annotations.media.Schema(name = "Signed")
    record Signed(String signature) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "Receipt")
    record Receipt(@io.swagger.v3.oas.annotations.media.Schema(nullable = true, description = "null until one is made")
                   Signed latestCheckpoint, Signed entry, List<Line> lines) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "Line")
    record Line(@io.swagger.v3.oas.annotations.media.Schema(nullable = true) Signed countersigned) {
    }

    @ApiData(Receipt.class)
    void receipt() {
    }

    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    @io.swagger.v3.oas.annotations.media.Schema(name = "Verification")
    record Verification(@io.swagger.v3.oas.annotations.media.Schema(nullable = true) Signed latestCheckpoint) {
    }

    @ApiData(Verification.class)
    void verification() {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "Payment")
    record Payment(String id, @io.swagger.v3.oas.annotations.media.Schema(nullable = true) String paidAt,
                   @io.swagger.v3.oas.annotations.media.Schema(requiredMode =
                           io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED) String refund) {
    }

    @ApiData(Payment.class)
    void payment() {
    }

    @Test
    void everyMemberIsRequiredButThoseSaidToBePresentOnlySometimes() throws Exception {
        // given
        OpenAPI openApi = new OpenAPI().paths(new Paths().addPathItem("/v1/payments/{id}", new PathItem().get(
                new Operation().responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("ok"))))));

        // when
        OpenApiData.describeAll(openApi, Map.of("GET /v1/payments/{id}",
                OpenApiDataTest.class.getDeclaredMethod("payment").getAnnotation(ApiData.class)));

        // then: a member that may be null is there all the same (as null); only the one said to be optional may be absent
        assertThat(openApi.getComponents().getSchemas().get("Payment").getRequired()).containsExactlyInAnyOrder("id", "paidAt");
    }

    @Test
    void aSnakeCaseMemberThatMayBeNullIsFoundByItsWireName() throws Exception {
        // given: the services' records, snake_case on the wire
        OpenAPI openApi = new OpenAPI().paths(new Paths().addPathItem("/v1/verifications", new PathItem().get(
                new Operation().responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("ok"))))));

        // when
        OpenApiData.describeAll(openApi, Map.of("GET /v1/verifications",
                OpenApiDataTest.class.getDeclaredMethod("verification").getAnnotation(ApiData.class)));

        // then
        Schema<?> checkpoint = (Schema<?>) openApi.getComponents().getSchemas().get("Verification").getProperties().get("latest_checkpoint");
        assertThat(checkpoint.getNullable()).isTrue();
        assertThat(checkpoint.getType()).isEqualTo("object");
        assertThat(checkpoint.getAllOf()).extracting(Schema::get$ref).containsExactly("#/components/schemas/Signed");
    }

    @Test
    @SuppressWarnings("rawtypes")
    void aMemberOfARecordsTypeThatMayBeNullIsDocumentedAsNullable() throws Exception {
        // given: an operation answering a receipt, one of whose members (and of its lines') may be null
        OpenAPI openApi = new OpenAPI().paths(new Paths().addPathItem("/v1/receipts/{id}", new PathItem().get(
                new Operation().responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("ok"))))));
        ApiData data = OpenApiDataTest.class.getDeclaredMethod("receipt").getAnnotation(ApiData.class);

        // when
        OpenApiData.describeAll(openApi, Map.of("GET /v1/receipts/{id}", data));

        // then: swagger-core alone writes a bare reference, which says "never null" (until the twenty-eighth session)
        Map<String, Schema> receipt = openApi.getComponents().getSchemas().get("Receipt").getProperties();
        Schema<?> checkpoint = receipt.get("latest_checkpoint") != null ? receipt.get("latest_checkpoint") : receipt.get("latestCheckpoint");
        assertThat(checkpoint.get$ref()).isNull();
        assertThat(checkpoint.getNullable()).isTrue();
        assertThat(checkpoint.getType()).isEqualTo("object");
        assertThat(checkpoint.getDescription()).isEqualTo("null until one is made");
        assertThat(checkpoint.getAllOf()).extracting(Schema::get$ref).containsExactly("#/components/schemas/Signed");
        assertThat(receipt.get("entry").get$ref()).isEqualTo("#/components/schemas/Signed");
        Schema<?> countersigned = (Schema<?>) openApi.getComponents().getSchemas().get("Line").getProperties().get("countersigned");
        assertThat(countersigned.getNullable()).isTrue();
        assertThat(countersigned.getAllOf()).extracting(Schema::get$ref).containsExactly("#/components/schemas/Signed");
        // and the answer is the envelope around the receipt
        Schema<?> answer = openApi.getPaths().get("/v1/receipts/{id}").getGet().getResponses().get("200").getContent()
                .get("application/json").getSchema();
        assertThat(((Schema<?>) answer.getProperties().get("data")).get$ref()).isEqualTo("#/components/schemas/Receipt");
        assertThat(answer.getRequired()).containsExactly("data", "meta");
    }
}
