package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.GeoHash;
import io.redraft.store.KeyEntry;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SortedSetValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import static io.redraft.command.CommandFlag.*;
import static io.redraft.command.CommandSpec.command;

/**
 * GEO commands: positions live as 52-bit geohash scores in ordinary sorted sets
 * ({@link GeoHash} does the arithmetic). All searches (GEOSEARCH, GEOSEARCHSTORE and the four
 * GEORADIUS forms) share one parser ({@link GeoSearch}) and one executor, as Redis's
 * georadiusGeneric does.
 */
final class GeoCommands implements CommandFamily {
    private static final String SEARCH_COMPLEXITY =
            "O(N+log(M)) where N is the number of elements in the cells scanned around the shape and M the number of matches";

    @Override
    public void register(CommandTable t) {
        t.add(command("geoadd", -5).flags(WRITE, DENYOOM).group("geo").since("3.2.0").keys(1, 1, 1)
                .summary("Adds one or more members to a geospatial index. The key is created if it doesn't exist.")
                .complexity("O(log(N)) per added item, N being the size of the sorted set")
                .handler(GeoCommands::geoadd));
        t.add(r("geodist", -4, "Returns the distance between two members of a geospatial index.", "3.2.0")
                .complexity("O(1)").handler(GeoCommands::geodist));
        t.add(r("geohash", -2, "Returns members from a geospatial index as geohash strings.", "3.2.0")
                .complexity("O(1) per requested member").handler(GeoCommands::geohash));
        t.add(r("geopos", -2, "Returns the longitude and latitude of members from a geospatial index.", "3.2.0")
                .complexity("O(1) per requested member").handler(GeoCommands::geopos));
        t.add(r("geosearch", -7, "Queries a geospatial index for members inside an area of a box or a circle.", "6.2.0")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.GEOSEARCH)));
        t.add(command("geosearchstore", -8).flags(WRITE, DENYOOM).group("geo").since("6.2.0").keys(1, 2, 1)
                .summary("Queries a geospatial index for members inside an area of a box or a circle, optionally stores the result.")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.GEOSEARCHSTORE)));
        // STORE / STOREDIST make GEORADIUS and GEORADIUSBYMEMBER writes, so Redis flags them write
        t.add(command("georadius", -6).flags(WRITE, DENYOOM).group("geo").since("3.2.0")
                .keys(1, 1, 1).keyFinder(argv -> GeoSearch.radiusKeys(argv, 6))
                .summary("Queries a geospatial index for members within a distance from a coordinate, optionally stores the result.")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.RADIUS_COORDS)));
        t.add(command("georadiusbymember", -5).flags(WRITE, DENYOOM).group("geo").since("3.2.0")
                .keys(1, 1, 1).keyFinder(argv -> GeoSearch.radiusKeys(argv, 5))
                .summary("Queries a geospatial index for members within a distance from a member, optionally stores the result.")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.RADIUS_MEMBER)));
        t.add(r("georadius_ro", -6, "Returns members from a geospatial index that are within a distance from a coordinate.", "3.2.10")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.RADIUS_COORDS | GeoSearch.READONLY)));
        t.add(r("georadiusbymember_ro", -5, "Returns members from a geospatial index that are within a distance from a member.", "3.2.10")
                .complexity(SEARCH_COMPLEXITY)
                .handler((ctx, argv) -> GeoSearch.run(ctx, argv, GeoSearch.RADIUS_MEMBER | GeoSearch.READONLY)));
    }

    private static CommandSpec.Builder r(String name, int arity, String summary, String since) {
        return command(name, arity).flags(READONLY).group("geo").summary(summary).since(since).keys(1, 1, 1);
    }

    // ---- shared parsing and replies (GeoSearch uses them too) ----

    /** Reads a longitude, latitude pair at argv[i], argv[i+1], rejecting positions Redis can't index. */
    static double[] lonLat(byte[][] argv, int i) {
        double lon = Args.toDouble(argv[i]);
        double lat = Args.toDouble(argv[i + 1]);
        if (!GeoHash.valid(lon, lat)) {
            throw new CommandError("ERR invalid longitude,latitude pair " + cFixed(lon, 6) + "," + cFixed(lat, 6));
        }
        return new double[]{lon, lat};
    }

    /** Meters per unit for M, KM, FT, MI. */
    static double unit(byte[] arg) {
        if (Args.is(arg, "m")) {
            return 1;
        } else if (Args.is(arg, "km")) {
            return 1000;
        } else if (Args.is(arg, "ft")) {
            return 0.3048;
        } else if (Args.is(arg, "mi")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /** A distance as Redis replies it: a bulk string with four decimals. */
    static void replyDistance(RespWriter out, double d) {
        out.bulk(cFixed(d, 4));
    }

    /**
     * A coordinate as Redis's addReplyHumanLongDouble: the exact value to 17 decimals with trailing
     * zeros removed; a bulk string in RESP2 and a double in RESP3.
     */
    static void replyCoordinate(RespWriter out, double d) {
        String s = cFixed(d, 17);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        if (out.resp3()) {
            out.raw((',' + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.bulk(s);
        }
    }

    /** printf("%.Nf"): rounding of the exact binary value, as glibc does (String.format rounds its shortest decimal). */
    static String cFixed(double d, int decimals) {
        return new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    static SortedSetValue read(CommandContext ctx, byte[] key) {
        return ctx.db().getValue(key, ctx.now(), SortedSetValue.class);
    }

    // ---- commands ----

    /** GEOADD key [NX|XX] [CH] lon lat member [lon lat member ...]: ZADD with encoded positions. */
    private static void geoadd(CommandContext ctx, byte[][] argv) {
        boolean nx = false, xx = false, ch = false;
        int i = 2;
        for (; i < argv.length; i++) {
            if (Args.is(argv[i], "nx")) {
                nx = true;
            } else if (Args.is(argv[i], "xx")) {
                xx = true;
            } else if (Args.is(argv[i], "ch")) {
                ch = true;
            } else {
                break;
            }
        }
        int elements = argv.length - i;
        if (elements == 0 || elements % 3 != 0 || (nx && xx)) {
            throw CommandError.SYNTAX;
        }
        // every position is checked before anything is written
        double[] scores = new double[elements / 3];
        for (int k = 0; k < scores.length; k++) {
            double[] xy = lonLat(argv, i + 3 * k);
            scores[k] = GeoHash.encode(xy[0], xy[1]);
        }
        KeyEntry e = CollectionWrites.entry(ctx, argv[1], SortedSetValue.class);
        SortedSetValue z = e == null ? new SortedSetValue() : (SortedSetValue) e.value();
        SetEncodingLimits limits = SetEncodingLimits.read(ctx.server().config());
        long added = 0, changed = 0;
        for (int k = 0; k < scores.length; k++) {
            byte[] member = argv[i + 3 * k + 2];
            boolean exists = z.contains(member);
            if ((nx && exists) || (xx && !exists)) {
                continue;
            }
            int res = z.add(member, scores[k], limits);
            if (res == SortedSetValue.ADDED) {
                added++;
            } else if (res == SortedSetValue.UPDATED) {
                changed++;
            }
        }
        if (added + changed > 0) {
            CollectionWrites.commit(ctx, argv[1], e, z);
        }
        ctx.out().integer(ch ? added + changed : added);
    }

    /** GEODIST key member1 member2 [unit] */
    private static void geodist(CommandContext ctx, byte[][] argv) {
        double toMeter = 1;
        if (argv.length == 5) {
            toMeter = unit(argv[4]);
        } else if (argv.length > 5) {
            throw CommandError.SYNTAX;
        }
        SortedSetValue z = read(ctx, argv[1]);
        double s1 = z == null ? Double.NaN : z.score(argv[2]);
        double s2 = z == null ? Double.NaN : z.score(argv[3]);
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            ctx.out().nullBulk();
            return;
        }
        double[] a = GeoHash.decode(s1);
        double[] b = GeoHash.decode(s2);
        replyDistance(ctx.out(), GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter);
    }

    /** GEOHASH key [member ...]: a null per missing member (all null for a missing key). */
    private static void geohash(CommandContext ctx, byte[][] argv) {
        SortedSetValue z = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        out.arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double score = z == null ? Double.NaN : z.score(argv[j]);
            if (Double.isNaN(score)) {
                out.nullBulk();
            } else {
                out.bulk(GeoHash.text(score));
            }
        }
    }

    /** GEOPOS key [member ...]: [lon, lat] per member, a null array for a missing one (all for a missing key). */
    private static void geopos(CommandContext ctx, byte[][] argv) {
        SortedSetValue z = read(ctx, argv[1]);
        RespWriter out = ctx.out();
        out.arrayHeader(argv.length - 2);
        for (int j = 2; j < argv.length; j++) {
            double score = z == null ? Double.NaN : z.score(argv[j]);
            if (Double.isNaN(score)) {
                out.nullArray();
            } else {
                double[] xy = GeoHash.decode(score);
                out.arrayHeader(2);
                replyCoordinate(out, xy[0]);
                replyCoordinate(out, xy[1]);
            }
        }
    }
}
