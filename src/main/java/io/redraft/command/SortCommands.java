package io.redraft.command;

import static io.redraft.command.CommandFlag.DENYOOM;
import static io.redraft.command.CommandFlag.READONLY;
import static io.redraft.command.CommandFlag.WRITE;
import static io.redraft.command.CommandSpec.command;

/**
 * SORT and SORT_RO. SORT is a write in Redis (its STORE option creates a key), so it always goes
 * through the log; SORT_RO is the read-only twin that refuses STORE.
 */
final class SortCommands implements CommandFamily {
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set"
            + " to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

    @Override
    public void register(CommandTable t) {
        t.add(command("sort", -2).flags(WRITE, DENYOOM).keys(1, 1, 1).keyFinder(SortCommand::keys)
                .group("generic").since("1.0.0").complexity(COMPLEXITY)
                .acl("write", "set", "sortedset", "list", "slow", "dangerous")
                .summary("Sorts the elements in a list, a set, or a sorted set, optionally storing the result.")
                .handler((ctx, argv) -> SortCommand.execute(ctx, argv, false)));
        t.add(command("sort_ro", -2).flags(READONLY).keys(1, 1, 1)
                .group("generic").since("7.0.0").complexity(COMPLEXITY)
                .acl("read", "set", "sortedset", "list", "slow", "dangerous")
                .summary("Returns the sorted elements of a list, a set, or a sorted set.")
                .handler((ctx, argv) -> SortCommand.execute(ctx, argv, true)));
    }
}
