package io.redraft.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validators of the parameters whose values are not a plain number, boolean or enum ("special"
 * configs in Redis's config.c). Each checks a value and returns the form CONFIG GET shows.
 */
final class ConfigValidators {
    private ConfigValidators() {
    }

    private static String[] words(String value) {
        String t = value.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    /** save: "" or pairs of seconds and changes. */
    static String save(String value) {
        String[] w = words(value);
        if (w.length % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        List<String> out = new ArrayList<>();
        for (String s : w) {
            try {
                long v = Long.parseLong(s);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                out.add(Long.toString(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
        }
        return String.join(" ", out);
    }

    /** hz: any non-negative integer, clamped to 1..500 as Redis's updateHZ does. */
    static String hz(String value) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("argument must be between 0 and " + Integer.MAX_VALUE + " inclusive");
        }
        return Long.toString(Math.max(1, Math.min(500, v)));
    }

    /** unixsocketperm: an octal number up to 0777, shown in octal. */
    static String octalPermissions(String value) {
        try {
            long v = Long.parseLong(value.trim(), 8);
            if (v < 0 || v > 0777) {
                throw new IllegalArgumentException("argument must be between 0 and 777 inclusive");
            }
            return Long.toOctalString(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
    }

    /** maxmemory-clients: a memory value, or a percentage of maxmemory written "N%" (shown as such). */
    static String memoryOrPercent(String value) {
        String t = value.trim();
        if (t.endsWith("%")) {
            try {
                long p = Long.parseLong(t.substring(0, t.length() - 1));
                if (p < 0 || p > 100) {
                    throw new IllegalArgumentException("argument must be between -100 and " + Long.MAX_VALUE + " inclusive");
                }
                return p + "%";
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("argument must be a memory or percent value");
            }
        }
        long v;
        try {
            v = ConfigValues.parseMemory(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument must be a memory or percent value");
        }
        if (v < 0) {
            throw new IllegalArgumentException("argument must be a memory or percent value");
        }
        return Long.toString(v);
    }

    /** oom-score-adj-values: three integers, -2000..2000. */
    static String oomScoreAdjValues(String value) {
        String[] w = words(value);
        if (w.length != 3) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        List<String> out = new ArrayList<>();
        for (String s : w) {
            try {
                long v = Long.parseLong(s);
                if (v < -2000 || v > 2000) {
                    throw new NumberFormatException();
                }
                out.add(Long.toString(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
        }
        return String.join(" ", out);
    }

    /** latency-tracking-info-percentiles: numbers between 0 and 100. */
    static String percentiles(String value) {
        List<String> out = new ArrayList<>();
        for (String s : words(value)) {
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("latency-tracking-info-percentiles needs a list of percentiles");
            }
            if (!(d >= 0 && d <= 100)) {
                throw new IllegalArgumentException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d));
        }
        return String.join(" ", out);
    }

    /** replicaof: "" (none), "no one", or "host port". */
    static String replicaOf(String value) {
        String[] w = words(value);
        if (w.length == 0) {
            return "";
        }
        if (w.length == 2 && w[0].equalsIgnoreCase("no") && w[1].equalsIgnoreCase("one")) {
            return "";
        }
        if (w.length != 2) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        try {
            int port = Integer.parseInt(w[1]);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid master port");
        }
        return w[0] + " " + w[1];
    }

    /** notify-keyspace-events: flag letters, normalised to Redis's canonical order. */
    static String keyspaceEvents(String value) {
        String all = "g$lshzxetd";
        StringBuilder seen = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == 'A') {
                seen.append(all);
            } else if ((all + "KEmn").indexOf(c) >= 0) {
                seen.append(c);
            } else {
                throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
        }
        String s = seen.toString();
        StringBuilder out = new StringBuilder();
        boolean hasAll = all.chars().allMatch(ch -> s.indexOf(ch) >= 0);
        if (hasAll) {
            out.append('A');
        } else {
            for (char c : all.toCharArray()) {
                if (s.indexOf(c) >= 0) {
                    out.append(c);
                }
            }
        }
        for (char c : "mnKE".toCharArray()) {
            if (s.indexOf(c) >= 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** bind: one or more addresses. */
    static String bind(String value) {
        String[] w = words(value);
        if (w.length == 0 || w.length > 16) {
            throw new IllegalArgumentException("Too many bind addresses specified.");
        }
        return String.join(" ", w).toLowerCase(Locale.ROOT);
    }
}
