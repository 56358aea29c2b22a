package io.redraft.command;

import java.util.List;

/** Every command family Redraft serves; the command table is built from this list. */
final class CommandFamilies {
    private CommandFamilies() {
    }

    static final List<CommandFamily> ALL = List.of(
            new ConnectionCommands(),
            new ClientCommands(),
            new StringCommands(),
            new BitmapCommands(),
            new KeyCommands(),
            new ExpireCommands(),
            new ObjectCommands(),
            new HashCommands(),
            new ListCommands(),
            new SetCommands(),
            new SortedSetCommands(),
            new BlockingCommands(),
            new SortCommands(),
            new GeoCommands(),
            new PubSubCommands(),
            new HyperLogLogCommands(),
            new ServerCommands(),
            new CommandCommands(),
            new DiagnosticCommands(),
            new TransactionCommands(),
            new RaftCommands(),
            new RaftClusterCommands()
    );
}
