package io.redraft.command;

import io.redraft.pubsub.PubSubRegistry;
import io.redraft.pubsub.SubscriptionKind;
import io.redraft.resp.RespWriter;

import java.util.List;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * Pub/Sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH
 * and PUBSUB. Subscriptions are this node's connection state ({@link PubSubRegistry}); PUBLISH
 * and SPUBLISH go through the log, so each node delivers every message to its own subscribers
 * when it applies the entry, in one global order, and replies to the publisher with the number
 * of receptions on the node it is connected to.
 */
final class PubSubCommands implements CommandFamily {
    private static final String[] HELP = {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help."
    };

    @Override
    public void register(CommandTable t) {
        t.add(subscription("subscribe", -2, "2.0.0", "Listens for messages published to channels.",
                "O(N) where N is the number of channels to subscribe to.",
                (ctx, argv) -> subscribe(ctx, argv, SubscriptionKind.CHANNEL)));
        t.add(subscription("unsubscribe", -1, "2.0.0", "Stops listening to messages posted to channels.",
                "O(N) where N is the number of clients already subscribed to a channel.",
                (ctx, argv) -> unsubscribe(ctx, argv, SubscriptionKind.CHANNEL)));
        t.add(subscription("psubscribe", -2, "2.0.0", "Listens for messages published to channels that match patterns.",
                "O(N) where N is the number of patterns the client is already subscribed to.",
                (ctx, argv) -> subscribe(ctx, argv, SubscriptionKind.PATTERN)));
        t.add(subscription("punsubscribe", -1, "2.0.0",
                "Stops listening to messages published to channels that match patterns.",
                "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of "
                        + "total patterns subscribed in the system (by any client).",
                (ctx, argv) -> unsubscribe(ctx, argv, SubscriptionKind.PATTERN)));
        // The shard commands give their channels key positions (not_key key specs, as Redis), so a
        // cluster can route them by slot.
        t.add(subscription("ssubscribe", -2, "7.0.0", "Listens for messages published to shard channels.",
                "O(N) where N is the number of shard channels to subscribe to.",
                (ctx, argv) -> subscribe(ctx, argv, SubscriptionKind.SHARD)).channelKeys(1, -1));
        t.add(subscription("sunsubscribe", -1, "7.0.0", "Stops listening to messages posted to shard channels.",
                "O(N) where N is the number of clients already subscribed to a shard channel.",
                (ctx, argv) -> unsubscribe(ctx, argv, SubscriptionKind.SHARD)).channelKeys(1, -1));
        t.add(command("publish", 3).flags(PUBSUB, LOADING, STALE, FAST).throughLog().group("pubsub")
                .since("2.0.0").acl("@pubsub", "@fast")
                .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is "
                        + "the total number of subscribed patterns (by any client).")
                .summary("Posts a message to a channel.")
                .handler((ctx, argv) -> publish(ctx, argv, SubscriptionKind.CHANNEL)));
        t.add(command("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST).throughLog().channelKeys(1, 1)
                .group("pubsub").since("7.0.0").acl("@pubsub", "@fast")
                .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
                .summary("Posts a message to a shard channel.")
                .handler((ctx, argv) -> publish(ctx, argv, SubscriptionKind.SHARD)));
        t.add(command("pubsub", -2).group("pubsub").since("2.8.0").acl("@slow")
                .complexity("Depends on subcommand.").summary("A container for Pub/Sub commands.")
                .subcommand(pubsubSub("channels", -2, "2.8.0", "Returns the active channels.",
                        "O(N) where N is the number of active channels, and assuming constant time pattern matching "
                                + "(relatively short channels and patterns)",
                        (ctx, argv) -> names(ctx, argv, SubscriptionKind.CHANNEL)))
                .subcommand(pubsubSub("numpat", 2, "2.8.0", "Returns a count of unique pattern subscriptions.", "O(1)",
                        (ctx, argv) -> ctx.out().integer(registry(ctx).nameCount(SubscriptionKind.PATTERN))))
                .subcommand(pubsubSub("numsub", -2, "2.8.0", "Returns a count of subscribers to channels.",
                        "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                        (ctx, argv) -> numsub(ctx, argv, SubscriptionKind.CHANNEL)))
                .subcommand(pubsubSub("shardchannels", -2, "7.0.0", "Returns the active shard channels.",
                        "O(N) where N is the number of active shard channels, and assuming constant time pattern "
                                + "matching (relatively short shard channels).",
                        (ctx, argv) -> names(ctx, argv, SubscriptionKind.SHARD)))
                .subcommand(pubsubSub("shardnumsub", -2, "7.0.0", "Returns the count of subscribers of shard channels.",
                        "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                        (ctx, argv) -> numsub(ctx, argv, SubscriptionKind.SHARD)))
                .subcommand(command("help", 2).flags(LOADING, STALE).since("6.2.0").acl("@slow").complexity("O(1)")
                        .summary("Returns helpful text about the different subcommands.")
                        .handler(PubSubCommands::help)));
    }

    private static CommandSpec.Builder subscription(String name, int arity, String since, String summary,
                                                    String complexity, CommandHandler h) {
        return command(name, arity).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub").since(since)
                .acl("@pubsub", "@slow").complexity(complexity).summary(summary).handler(h);
    }

    private static CommandSpec.Builder pubsubSub(String name, int arity, String since, String summary,
                                                 String complexity, CommandHandler h) {
        return command(name, arity).flags(PUBSUB, LOADING, STALE).since(since).acl("@pubsub", "@slow")
                .complexity(complexity).summary(summary).handler(h);
    }

    private static PubSubRegistry registry(CommandContext ctx) {
        return ctx.server().pubsub();
    }

    private static void subscribe(CommandContext ctx, byte[][] argv, SubscriptionKind kind) {
        registry(ctx).subscribe(ctx.session(), kind, argv, ctx.out());
    }

    private static void unsubscribe(CommandContext ctx, byte[][] argv, SubscriptionKind kind) {
        registry(ctx).unsubscribe(ctx.session(), kind, argv, ctx.out());
    }

    /** Applied from the log on every node: delivers here, replies with this node's receptions. */
    private static void publish(CommandContext ctx, byte[][] argv, SubscriptionKind kind) {
        ctx.out().integer(registry(ctx).publish(kind, argv[1], argv[2]));
    }

    private static void names(CommandContext ctx, byte[][] argv, SubscriptionKind kind) {
        if (argv.length > 3) {
            throw subcommandSyntax(argv);
        }
        List<byte[]> names = registry(ctx).names(kind, argv.length == 3 ? argv[2] : null);
        RespWriter out = ctx.out();
        out.arrayHeader(names.size());
        for (byte[] n : names) {
            out.bulk(n);
        }
    }

    private static void numsub(CommandContext ctx, byte[][] argv, SubscriptionKind kind) {
        RespWriter out = ctx.out();
        out.arrayHeader(2L * (argv.length - 2));
        for (int i = 2; i < argv.length; i++) {
            out.bulk(argv[i]);
            out.integer(registry(ctx).subscriberCount(kind, argv[i]));
        }
    }

    private static void help(CommandContext ctx, byte[][] argv) {
        RespWriter out = ctx.out();
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }

    /** Redis's addReplySubcommandSyntaxError. */
    private static CommandError subcommandSyntax(byte[][] argv) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.str(argv[1])
                + "'. Try PUBSUB HELP.");
    }
}
