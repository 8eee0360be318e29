package io.amply.query.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against the examples AWS publishes in the S3 API reference, "Signature Calculations for the
 * Authorization Header: Transferring Payload in a Single Chunk (AWS Signature Version 4)".
 */
class SigV4Test {

    private static final SigV4.Credentials EXAMPLE_KEY =
            new SigV4.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @Test
    void signsAwsExampleGetObjectWithARangeHeader() {
        // given: the headers in the example's own case and order; the signer sorts and lower-cases them
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "examplebucket.s3.amazonaws.com");
        headers.put("Range", "bytes=0-9");
        headers.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
        headers.put("x-amz-date", "20130524T000000Z");

        // when
        SigV4.Signature signed = SigV4.sign("GET", "/test.txt", "", headers, SigV4.EMPTY_SHA256, "us-east-1", "s3",
                EXAMPLE_KEY);

        // then
        assertThat(signed.canonicalRequest()).isEqualTo("""
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(signed.stringToSign()).isEqualTo("""
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972""");
        assertThat(signed.signature()).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(signed.authorization()).isEqualTo("AWS4-HMAC-SHA256 "
                + "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void signsAwsExamplePutObjectWhoseKeyNeedsEncoding() {
        // given: PUT test$file.text with "Welcome to Amazon S3." and a storage class
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
        String payload = SigV4.sha256Hex(body);
        Map<String, String> headers = Map.of(
                "Host", "examplebucket.s3.amazonaws.com",
                "Date", "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", payload);

        // when
        SigV4.Signature signed = SigV4.sign("PUT", SigV4.encodePath("/test$file.text"), "", headers, payload,
                "us-east-1", "s3", EXAMPLE_KEY);

        // then
        assertThat(payload).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        assertThat(signed.canonicalRequest()).startsWith("PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n");
        assertThat(signed.stringToSign()).endsWith("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
        assertThat(signed.signedHeaders()).isEqualTo("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
        assertThat(signed.signature()).isEqualTo("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    }

    @Test
    void headerValuesAreTrimmedAndInnerSpacesCollapsed() {
        Map<String, String> spaced = Map.of("host", "h", "x-amz-date", "20130524T000000Z", "x-amz-meta-a", "  a   b ");
        Map<String, String> tight = Map.of("host", "h", "x-amz-date", "20130524T000000Z", "x-amz-meta-a", "a b");

        assertThat(SigV4.sign("PUT", "/k", "", spaced, SigV4.EMPTY_SHA256, "us-east-1", "s3", EXAMPLE_KEY).signature())
                .isEqualTo(SigV4.sign("PUT", "/k", "", tight, SigV4.EMPTY_SHA256, "us-east-1", "s3", EXAMPLE_KEY).signature());
    }

    @Test
    void encodesEachPathSegmentOnceKeepingUnreservedCharactersAndSlashes() {
        assertThat(SigV4.encodePath("/bucket/org_1/checkpoints/000000000004-key-2024.json"))
                .isEqualTo("/bucket/org_1/checkpoints/000000000004-key-2024.json");
        assertThat(SigV4.encodePath("/bucket/my key/a+b=c&d"))
                .isEqualTo("/bucket/my%20key/a%2Bb%3Dc%26d");
        assertThat(SigV4.encodePath("/bucket/Ünïcødé/€.json"))
                .isEqualTo("/bucket/%C3%9Cn%C3%AFc%C3%B8d%C3%A9/%E2%82%AC.json");
        assertThat(SigV4.encodePath("/~user/-._/%41*"))
                .as("unreserved kept; an existing % is encoded again, never taken as an escape")
                .isEqualTo("/~user/-._/%2541%2A");
    }

    @Test
    void formatsTheRequestTimeAsAmzDate() {
        assertThat(SigV4.amzDate(Instant.parse("2013-05-24T00:00:00Z"))).isEqualTo("20130524T000000Z");
        assertThat(SigV4.amzDate(Instant.parse("2024-12-31T23:59:59.999Z"))).isEqualTo("20241231T235959Z");
    }

    @Test
    void refusesToSignWithoutHostOrDate() {
        assertThatThrownBy(() -> SigV4.sign("PUT", "/k", "", Map.of("host", "h"), SigV4.EMPTY_SHA256, "us-east-1",
                "s3", EXAMPLE_KEY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsNeverPrintTheSecret() {
        assertThat(EXAMPLE_KEY.toString()).contains("AKIAIOSFODNN7EXAMPLE").doesNotContain("EXAMPLEKEY");
    }
}
