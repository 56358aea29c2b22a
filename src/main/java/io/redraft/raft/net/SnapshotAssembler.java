package io.redraft.raft.net;

/**
 * Receiver side of InstallSnapshot on one connection: collects chunks into a buffer and hands the
 * data to the SNAPSHOT message that follows them. Chunks arrive in order on a single connection,
 * so anything out of order (a gap, a different snapshot mid-way, a message without its data) is a
 * protocol error. A chunk at offset 0 starts over, discarding an unfinished transfer.
 */
final class SnapshotAssembler {
    private final long maxBytes;
    private long index, term, total, received;
    private byte[] buf;
    private boolean complete;

    SnapshotAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void accept(PeerFrame.SnapshotChunk c) {
        if (c.offset() == 0) {
            if (c.total() > maxBytes) throw new PeerProtocolException("snapshot of " + c.total() + " bytes exceeds the limit of " + maxBytes);
            buf = new byte[(int) c.total()];
            index = c.index();
            term = c.term();
            total = c.total();
            received = 0;
            complete = false;
        } else if (buf == null || complete || c.index() != index || c.term() != term || c.total() != total || c.offset() != received) {
            throw new PeerProtocolException("snapshot chunk " + c.index() + "/" + c.term() + " at " + c.offset() + " out of sequence");
        }
        System.arraycopy(c.data(), 0, buf, (int) received, c.data().length);
        received += c.data().length;
        if (c.last()) {
            if (received != total) throw new PeerProtocolException("last snapshot chunk at " + received + " of " + total + " bytes");
            complete = true;
        }
    }

    /** The complete data of snapshot {@code index/term}, {@code length} bytes; the buffer is released. */
    byte[] take(long index, long term, long length) {
        if (buf == null || !complete || index != this.index || term != this.term || length != total)
            throw new PeerProtocolException("snapshot message " + index + "/" + term + " without its complete data");
        byte[] data = buf;
        buf = null;
        complete = false;
        return data;
    }
}
