package io.redraft.cluster;

import io.redraft.raft.Membership;
import io.redraft.raft.Role;

import java.util.List;

/**
 * What RAFT.INFO, INFO raft and ROLE show: a consistent view of this node's Raft state, taken on
 * the raft thread.
 */
public record RaftStatus(long nodeId, Role role, long term, long leaderId, long commitIndex, long lastIndex,
                         long snapshotIndex, long durableIndex, String fsync, long syncs, int segments,
                         Membership membership, List<Member> members, String readMode, long leaseReads) {

    /** One member as the leader tracks it (match and next are -1 when this node does not lead). */
    public record Member(long id, String address, boolean voter, long match, long next, String state) { }

    /** The fields of INFO's raft section, CRLF-terminated lines. */
    public String infoFields(long appliedIndex) {
        return infoFields(appliedIndex, id -> null);
    }

    /** The same, with each member's announced client address (null if none yet) as client=. */
    public String infoFields(long appliedIndex, java.util.function.LongFunction<String> clientAddress) {
        StringBuilder sb = new StringBuilder();
        field(sb, "raft_node_id", nodeId);
        field(sb, "raft_role", role.name().toLowerCase());
        field(sb, "raft_term", term);
        field(sb, "raft_leader_id", leaderId);
        field(sb, "raft_commit_index", commitIndex);
        field(sb, "raft_applied_index", appliedIndex);
        field(sb, "raft_last_index", lastIndex);
        field(sb, "raft_durable_index", durableIndex);
        field(sb, "raft_snapshot_index", snapshotIndex);
        field(sb, "raft_log_entries", lastIndex - snapshotIndex);
        field(sb, "raft_log_segments", segments);
        field(sb, "raft_fsync", fsync);
        field(sb, "raft_fsync_count", syncs);
        field(sb, "raft_voters", membership.voters().size());
        field(sb, "raft_learners", membership.learners().size());
        field(sb, "raft_read_confirmation", readMode); // how this node, as leader, confirms reads
        field(sb, "raft_lease_reads", leaseReads);
        for (Member m : members) {
            String lag = m.match() < 0 ? "-1" : Long.toString(Math.max(0, lastIndex - m.match()));
            String client = clientAddress.apply(m.id());
            field(sb, "raft_member_" + m.id(), "address=" + m.address() + (client == null ? "" : ",client=" + client) + ",role=" + (m.voter() ? "voter" : "learner")
                    + ",match=" + m.match() + ",next=" + m.next() + ",lag=" + lag + ",state=" + m.state());
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }
}
