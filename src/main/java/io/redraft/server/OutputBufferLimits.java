package io.redraft.server;

import java.util.Locale;

/**
 * Redis's client-output-buffer-limit: per client class (normal, replica, pubsub) a hard limit,
 * a soft limit and the seconds the soft limit may be exceeded (0 = no limit).
 */
public record OutputBufferLimits(long normalHard, long normalSoft, long normalSeconds,
                                 long pubsubHard, long pubsubSoft, long pubsubSeconds) {

    public static OutputBufferLimits parse(String value) {
        String[] w = value.trim().split("\\s+");
        long[] normal = {0, 0, 0};
        long[] pubsub = {0, 0, 0};
        for (int i = 0; i + 3 < w.length; i += 4) {
            String cls = w[i].toLowerCase(Locale.ROOT);
            long[] target = switch (cls) {
                case "normal" -> normal;
                case "pubsub" -> pubsub;
                case "slave", "replica" -> new long[3];
                default -> throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            };
            target[0] = ConfigValues.parseMemory(w[i + 1]);
            target[1] = ConfigValues.parseMemory(w[i + 2]);
            target[2] = Long.parseLong(w[i + 3]);
        }
        return new OutputBufferLimits(normal[0], normal[1], normal[2], pubsub[0], pubsub[1], pubsub[2]);
    }

    static String normalise(String value) {
        String[] w = value.trim().split("\\s+");
        if (w.length == 0 || w.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        try {
            parse(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i += 4) {
            String cls = w[i].toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) {
                cls = "slave";
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(cls).append(' ').append(ConfigValues.parseMemory(w[i + 1])).append(' ')
                    .append(ConfigValues.parseMemory(w[i + 2])).append(' ').append(Long.parseLong(w[i + 3]));
        }
        return sb.toString();
    }
}
