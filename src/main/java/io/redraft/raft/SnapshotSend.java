package io.redraft.raft;

/**
 * Request from the leader core to its driver: "send the snapshot described by {@code metadata} to
 * node {@code to}". The core does not hold snapshot bytes; the driver attaches them with
 * {@link #toMessage(byte[])} and sends the message like any other (after persisting the Ready).
 */
public record SnapshotSend(long from, long to, long term, SnapshotMetadata metadata) {
    public Message toMessage(byte[] data) {
        return Message.builder(MessageType.SNAPSHOT, from, to, term)
                .snapshot(new Snapshot(metadata, data)).build();
    }
}
