package io.redraft.raft.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HandshakeAuthTest {
    private final byte[] n1 = HandshakeAuth.nonce(), n2 = HandshakeAuth.nonce();

    @Test
    void proofsVerifyOnlyWithTheSamePasswordAndInputs() {
        HandshakeAuth a = new HandshakeAuth("secret"), b = new HandshakeAuth("secret"), wrong = new HandshakeAuth("Secret");
        byte[] p = a.proof(HandshakeAuth.Role.ACCEPTOR, "c", 1, 2, n1, n2);
        assertEquals(32, p.length);
        assertTrue(b.verify(p, HandshakeAuth.Role.ACCEPTOR, "c", 1, 2, n1, n2));
        assertFalse(wrong.verify(p, HandshakeAuth.Role.ACCEPTOR, "c", 1, 2, n1, n2));
        // a proof is bound to the role (no reflection), the ids, the cluster and both nonces (no replay)
        assertFalse(b.verify(p, HandshakeAuth.Role.INITIATOR, "c", 1, 2, n1, n2));
        assertFalse(b.verify(p, HandshakeAuth.Role.ACCEPTOR, "c", 1, 3, n1, n2));
        assertFalse(b.verify(p, HandshakeAuth.Role.ACCEPTOR, "d", 1, 2, n1, n2));
        assertFalse(b.verify(p, HandshakeAuth.Role.ACCEPTOR, "c", 1, 2, n2, n1));
        assertFalse(b.verify(new byte[0], HandshakeAuth.Role.ACCEPTOR, "c", 1, 2, n1, n2));
    }

    @Test
    void withoutPasswordProofsAreEmptyAndAPresentedProofFails() {
        HandshakeAuth none = new HandshakeAuth(null);
        assertFalse(none.enabled());
        assertFalse(new HandshakeAuth("").enabled());
        assertEquals(0, none.proof(HandshakeAuth.Role.INITIATOR, "c", 1, 2, n1, n2).length);
        assertTrue(none.verify(new byte[0], HandshakeAuth.Role.INITIATOR, "c", 1, 2, n1, n2));
        assertFalse(none.verify(new byte[32], HandshakeAuth.Role.INITIATOR, "c", 1, 2, n1, n2));
    }
}
