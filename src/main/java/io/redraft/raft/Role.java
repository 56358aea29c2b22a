package io.redraft.raft;

public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }
