/**
 * The peer port: how Redraft nodes talk to each other. Transport only; the Raft driver decides what
 * to send and wires {@link io.redraft.raft.net.PeerListener} callbacks into the consensus core.
 *
 * <h2>Connections</h2>
 * {@link io.redraft.raft.net.PeerTransport} runs a Netty server and one outbound connection per peer
 * ({@code PeerLink}) on its own event loop group (epoll where available). A node sends only on the
 * connection it opened; the peer's replies come on the peer's own connection. Lost connections are
 * retried with jittered exponential backoff ({@code Backoff}). Each peer has a bounded queue
 * ({@code OutboundQueue}) written only while the socket is writable, so a slow or dead peer costs
 * its own queue (old Raft messages are evicted and counted) and never blocks anyone else.
 *
 * <h2>Frames</h2>
 * {@code [int32 length][u8 version=1][u8 type][payload]}, integers as unsigned LEB128 varints; see
 * {@link io.redraft.raft.net.PeerFrame} and {@link io.redraft.raft.net.PeerFrameCodec}. A frame longer
 * than {@code PeerConfig.maxFrameBytes}, an unknown version or type, or a malformed payload closes
 * that connection with a log line.
 * <ul>
 *   <li>HELLO(1), PROOF(2), WELCOME(3), REFUSED(4): the handshake.</li>
 *   <li>RAFT(10): any {@link io.redraft.raft.Message}, all fields.</li>
 *   <li>SNAPSHOT_CHUNK(11): snapshot index/term, offset, total, bytes, last flag. A snapshot travels as
 *       chunks followed by its SNAPSHOT message, which carries the metadata and the data length only;
 *       the receiver ({@code SnapshotAssembler}) attaches the reassembled data and delivers it once.</li>
 *   <li>FORWARD_REQUEST(12) request id, session id, db, argv; FORWARD_REPLY(13) request id, raw RESP.</li>
 * </ul>
 *
 * <h2>Handshake</h2>
 * <pre>
 * initiator                                   acceptor
 *   HELLO(cluster, me, you, nonceI)      --&gt;    checks cluster id, that it is "you", that "me" is a member
 *                                        &lt;--    HELLO(cluster, me, you, nonceA, proofA)   (or REFUSED)
 *   checks cluster, ids, proofA
 *   PROOF(proofI)                        --&gt;    checks proofI
 *                                        &lt;--    WELCOME                                   (or REFUSED)
 * </pre>
 * With a cluster password, proofs are HMAC-SHA256 over role, cluster id, both ids and both nonces
 * ({@code HandshakeAuth}); without one they are empty, and a node with a password refuses one without.
 * Refusals are logged at WARN on both ends (the same refusal at most once a minute).
 */
package io.redraft.raft.net;
