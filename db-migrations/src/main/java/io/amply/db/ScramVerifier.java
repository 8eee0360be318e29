package io.amply.db;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A password as PostgreSQL stores it for SCRAM-SHA-256 (RFC 5802, RFC 7677): {@code SCRAM-SHA-256$<iterations>:<salt>$
 * <StoredKey>:<ServerKey>}. {@code ALTER ROLE … PASSWORD} given this stores it as it is, and the statement, which a
 * server logging DDL ({@code log_statement = ddl}, as the local cluster does) writes to its log, then holds no
 * password: only what a login is checked against.
 */
final class ScramVerifier {

    /** PostgreSQL's own default ({@code scram_iterations} before PostgreSQL 16). */
    private static final int ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {
    }

    /**
     * The verifier of {@code password} with a fresh salt. Only for printable ASCII passwords, which SASLprep (applied
     * by the server to what a client logs in with) leaves unchanged; any other password is returned as it is, for the
     * server to hash.
     */
    static String of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return of(password, salt, ITERATIONS);
    }

    static String of(String password, byte[] salt, int iterations) {
        if (!password.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return password;
        }
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] serverKey = hmac(salted, "Server Key");
            Base64.Encoder base64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + base64.encodeToString(salt) + "$"
                    + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute SCRAM-SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
