package io.redraft.raft;

/**
 * A complete snapshot: metadata plus opaque state-machine bytes. The core only ever handles whole
 * snapshots; splitting a large snapshot into chunks and reassembling it is the transport's job.
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {
    public Snapshot {
        if (data == null) data = new byte[0];
    }
}
