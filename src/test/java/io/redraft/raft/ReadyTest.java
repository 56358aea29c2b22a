package io.redraft.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which messages a driver may send, and which committed entries apply, before a Ready's entries are durable. */
@Timeout(10)
class ReadyTest {
    private static Message msg(MessageType type, long commit) {
        return Message.builder(type, 1, 2, 3).commit(commit).build();
    }

    private static List<Entry> entries(long first, long last) {
        List<Entry> entries = new java.util.ArrayList<>();
        for (long i = first; i <= last; i++) entries.add(new Entry(i, 3, Entry.Type.NORMAL, new byte[]{1}));
        return entries;
    }

    private static Ready readyWithEntries(long first, long last, List<Message> msgs) {
        return new Ready(null, null, entries(first, last), 0, null, List.of(), msgs, List.of(), List.of());
    }

    private static Ready readyCommitting(long first, long last, long commitFirst, long commitLast) {
        return new Ready(null, null, entries(first, last), 0, null, entries(commitFirst, commitLast),
                List.of(), List.of(), List.of());
    }

    @Test
    void leaderAppendsAndHeartbeatsMayLeaveWhenTheirCommitIsAlreadyDurable() {
        Ready rd = readyWithEntries(5, 7, List.of());
        assertTrue(rd.mayLeaveBeforeSync(msg(MessageType.APPEND, 4)));
        assertTrue(rd.mayLeaveBeforeSync(msg(MessageType.HEARTBEAT, 0)));
    }

    @Test
    void aCommitCoveringThisReadysEntriesWaitsForTheSync() {
        // A one-voter leader commits at append: a learner must not apply what may yet be lost.
        Ready rd = readyWithEntries(5, 7, List.of());
        assertFalse(rd.mayLeaveBeforeSync(msg(MessageType.APPEND, 5)));
        assertFalse(rd.mayLeaveBeforeSync(msg(MessageType.HEARTBEAT, 7)));
    }

    @Test
    void acksAndVotesAlwaysWaitForTheSync() {
        Ready rd = readyWithEntries(5, 7, List.of());
        for (MessageType t : List.of(MessageType.APPEND_RESP, MessageType.VOTE, MessageType.VOTE_RESP,
                MessageType.PRE_VOTE, MessageType.PRE_VOTE_RESP, MessageType.HEARTBEAT_RESP,
                MessageType.TIMEOUT_NOW, MessageType.READ_INDEX, MessageType.READ_INDEX_RESP)) {
            assertFalse(rd.mayLeaveBeforeSync(msg(t, 0)), t.name());
        }
    }

    @Test
    void withoutEntriesNothingIsWaitingForASync() {
        Ready rd = readyWithEntries(1, 0, List.of());
        assertTrue(rd.mayLeaveBeforeSync(msg(MessageType.APPEND, 100)));
    }

    @Test
    void committedEntriesAnEarlierReadyMadeDurableApplyBeforeThisSync() {
        assertEquals(4, readyCommitting(5, 7, 1, 4).committedBeforeSync());
        assertEquals(4, readyCommitting(1, 0, 1, 4).committedBeforeSync()); // nothing to sync
    }

    @Test
    void anEntryThisReadyAppendsAndCommitsWaitsForTheSync() {
        // A one-voter group commits at append: its reply must not leave before the entry is on disk.
        assertEquals(2, readyCommitting(5, 7, 3, 6).committedBeforeSync());
        assertEquals(0, readyCommitting(5, 7, 5, 7).committedBeforeSync());
    }
}
