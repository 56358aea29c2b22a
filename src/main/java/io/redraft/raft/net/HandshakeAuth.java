package io.redraft.raft.net;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Mutual proof of the cluster password, HMAC-SHA256 challenge-response.
 *
 * <p>Each side sends a fresh nonce; each proves the password with HMAC(password, role | cluster id |
 * initiator id | acceptor id | initiator nonce | acceptor nonce). The role tag makes the two proofs
 * differ, so a proof cannot be reflected back at its sender; the nonces make every proof fresh, so a
 * recorded handshake cannot be replayed. The password itself never crosses the wire.
 * Without a password both proofs are empty.
 */
final class HandshakeAuth {
    static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NONE = new byte[0];

    enum Role { INITIATOR, ACCEPTOR }

    private final byte[] password; // null: no password set

    HandshakeAuth(String password) {
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    boolean enabled() {
        return password != null;
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** The proof {@code role} must present for this handshake (empty without a password). */
    byte[] proof(Role role, String clusterId, long initiator, long acceptor, byte[] initiatorNonce, byte[] acceptorNonce) {
        if (password == null) return NONE;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password, "HmacSHA256"));
            mac.update((byte) role.ordinal());
            mac.update(lengthPrefixed(clusterId.getBytes(StandardCharsets.UTF_8)));
            mac.update(ByteBuffer.allocate(16).putLong(initiator).putLong(acceptor).array());
            mac.update(lengthPrefixed(initiatorNonce));
            mac.update(lengthPrefixed(acceptorNonce));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
        }
    }

    /** Whether {@code presented} is the right proof; constant-time, and an empty proof never passes with a password. */
    boolean verify(byte[] presented, Role role, String clusterId, long initiator, long acceptor, byte[] initiatorNonce, byte[] acceptorNonce) {
        if (password == null) return presented.length == 0;
        return MessageDigest.isEqual(presented, proof(role, clusterId, initiator, acceptor, initiatorNonce, acceptorNonce));
    }

    // Length prefixes keep field boundaries unambiguous inside the MAC input.
    private static byte[] lengthPrefixed(byte[] b) {
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }
}
