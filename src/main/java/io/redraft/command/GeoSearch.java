package io.redraft.command;

import io.redraft.resp.RespWriter;
import io.redraft.store.GeoHash;
import io.redraft.store.SetEncodingLimits;
import io.redraft.store.SortedSetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The one search behind GEOSEARCH, GEOSEARCHSTORE, GEORADIUS[_RO] and GEORADIUSBYMEMBER[_RO]:
 * argument parsing with Redis 7.0's order of checks and texts, the scan of the geohash cells
 * around the centre, and the reply or the stored result.
 */
final class GeoSearch {
    static final int GEOSEARCH = 1;
    static final int GEOSEARCHSTORE = 2;
    static final int RADIUS_COORDS = 4;
    static final int RADIUS_MEMBER = 8;
    /** The _RO variants: no STORE / STOREDIST. */
    static final int READONLY = 16;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    /** A match: its distance from the centre is in meters until the reply converts it. */
    private record Point(byte[] member, double score, double lon, double lat, double dist) {
    }

    private static final Comparator<Point> ASC = (a, b) -> Double.compare(a.dist, b.dist);
    private static final Comparator<Point> DESC = (a, b) -> Double.compare(b.dist, a.dist);

    private GeoSearch() {
    }

    /** Key positions of GEORADIUS (base 6) / GEORADIUSBYMEMBER (base 5): the source and a STORE target. */
    static int[] radiusKeys(byte[][] argv, int base) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((Args.is(argv[i], "store") || Args.is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = ++i; // a later STORE/STOREDIST overrides an earlier one, as in the command
            }
        }
        return stored < 0 ? new int[]{1} : new int[]{1, stored};
    }

    /** A parsed search: Redis 7.0's checks, in its order (the source key's type is checked before). */
    private static final class Query {
        byte[] storeKey;
        boolean storeDist;
        double[] centre;
        byte[] fromMember;
        boolean byRadius, byBox;
        double radius, width, height, conversion = 1;
        boolean withDist, withHash, withCoord, any;
        int sort = SORT_NONE;
        long count;

        Query(byte[][] argv, int flags) {
            boolean search = (flags & (GEOSEARCH | GEOSEARCHSTORE)) != 0;
            int srcIndex = (flags & GEOSEARCHSTORE) != 0 ? 2 : 1;
            storeKey = (flags & GEOSEARCHSTORE) != 0 ? argv[1] : null;
            int base;
            if ((flags & RADIUS_COORDS) != 0) {
                base = 6;
                centre = GeoCommands.lonLat(argv, 2);
            } else if ((flags & RADIUS_MEMBER) != 0) {
                base = 5;
                fromMember = argv[2];
            } else {
                base = srcIndex + 1;
            }
            if (!search) {
                radius = nonNegative(argv[base - 2], "ERR need numeric radius", "ERR radius cannot be negative");
                conversion = GeoCommands.unit(argv[base - 1]);
                byRadius = true;
            }

            for (int i = base; i < argv.length; i++) {
                byte[] a = argv[i];
                int remaining = argv.length - i - 1; // arguments after this one
                if (Args.is(a, "withdist")) {
                    withDist = true;
                } else if (Args.is(a, "withhash")) {
                    withHash = true;
                } else if (Args.is(a, "withcoord")) {
                    withCoord = true;
                } else if (Args.is(a, "any")) {
                    any = true;
                } else if (Args.is(a, "asc")) {
                    sort = SORT_ASC;
                } else if (Args.is(a, "desc")) {
                    sort = SORT_DESC;
                } else if (Args.is(a, "count") && remaining >= 1) {
                    count = Args.toLong(argv[++i]);
                    if (count <= 0) {
                        throw new CommandError("ERR COUNT must be > 0");
                    }
                } else if (!search && (flags & READONLY) == 0 && remaining >= 1
                        && (Args.is(a, "store") || Args.is(a, "storedist"))) {
                    storeDist = Args.is(a, "storedist");
                    storeKey = argv[++i];
                } else if ((flags & GEOSEARCHSTORE) != 0 && Args.is(a, "storedist")) {
                    storeDist = true;
                } else if (search && Args.is(a, "frommember") && remaining >= 1) {
                    if (fromMember != null || centre != null) {
                        throw CommandError.SYNTAX;
                    }
                    fromMember = argv[++i];
                } else if (search && Args.is(a, "fromlonlat") && remaining >= 2) {
                    if (fromMember != null || centre != null) {
                        throw CommandError.SYNTAX;
                    }
                    centre = GeoCommands.lonLat(argv, i + 1);
                    i += 2;
                } else if (search && Args.is(a, "byradius") && remaining >= 2) {
                    if (byRadius || byBox) {
                        throw CommandError.SYNTAX;
                    }
                    radius = nonNegative(argv[i + 1], "ERR need numeric radius", "ERR radius cannot be negative");
                    conversion = GeoCommands.unit(argv[i + 2]);
                    byRadius = true;
                    i += 2;
                } else if (search && Args.is(a, "bybox") && remaining >= 3) {
                    if (byRadius || byBox) {
                        throw CommandError.SYNTAX;
                    }
                    width = nonNegative(argv[i + 1], "ERR need numeric width", "ERR height or width cannot be negative");
                    height = nonNegative(argv[i + 2], "ERR need numeric height", "ERR height or width cannot be negative");
                    conversion = GeoCommands.unit(argv[i + 3]);
                    byBox = true;
                    i += 3;
                } else {
                    throw CommandError.SYNTAX;
                }
            }

            String name = Args.str(argv[0]); // Redis echoes the name as sent
            if (storeKey != null && (withDist || withHash || withCoord)) {
                throw new CommandError("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                        + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            }
            if (search && fromMember == null && centre == null) {
                throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
            }
            if (search && !byRadius && !byBox) {
                throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
            }
            if (any && count == 0) {
                throw new CommandError("ERR the ANY argument requires COUNT argument");
            }
        }
    }

    static void run(CommandContext ctx, byte[][] argv, int flags) {
        int srcIndex = (flags & GEOSEARCHSTORE) != 0 ? 2 : 1;
        SortedSetValue z = GeoCommands.read(ctx, argv[srcIndex]); // WRONGTYPE before any syntax error
        Query q = new Query(argv, flags);
        if (z == null) {
            if (q.storeKey != null) {
                ctx.db().delete(q.storeKey, ctx.now());
                ctx.out().integer(0);
            } else {
                ctx.out().arrayHeader(0);
            }
            return;
        }
        double[] centre = q.centre;
        if (q.fromMember != null) {
            double score = z.score(q.fromMember);
            if (Double.isNaN(score)) {
                throw new CommandError("ERR could not decode requested zset member");
            }
            centre = GeoHash.decode(score);
        }
        List<Point> found = scan(z, centre, q.byRadius, q.radius * q.conversion,
                q.width * q.conversion / 2, q.height * q.conversion / 2, q.any ? q.count : 0);
        int returned = (int) (q.count == 0 ? found.size() : Math.min(q.count, found.size()));
        // COUNT keeps the nearest matches, so it implies ASC unless ANY asked for the first found
        int sort = q.count != 0 && q.sort == SORT_NONE && !q.any ? SORT_ASC : q.sort;
        if (sort != SORT_NONE) {
            found = sorted(found, returned, sort == SORT_ASC ? ASC : DESC);
        }
        if (q.storeKey != null) {
            store(ctx, q, found, returned);
        } else {
            reply(ctx.out(), q, found, returned);
        }
    }

    /** The list ordered as Redis orders it: the first returned entries are those Redis would pick. */
    private static List<Point> sorted(List<Point> found, int returned, Comparator<Point> order) {
        if (returned == found.size()) {
            found.sort(order); // stable, like the glibc qsort (a merge sort) Redis calls
            return found;
        }
        // Redis sorts only the returned prefix, with pqsort; its order among equal distances follows
        Point[] arr = found.toArray(new Point[0]);
        PartialSort.sort(arr, 0, returned - 1, order);
        return Arrays.asList(arr);
    }

    /** STORE / STOREDIST / GEOSEARCHSTORE: a new sorted set of the matches (scores or distances); empty deletes. */
    private static void store(CommandContext ctx, Query q, List<Point> found, int returned) {
        SortedSetValue result = new SortedSetValue();
        SetEncodingLimits limits = SetEncodingLimits.read(ctx.server().config());
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            result.add(p.member, q.storeDist ? p.dist / q.conversion : p.score, limits);
        }
        CollectionWrites.storeResult(ctx, q.storeKey, result);
        ctx.out().integer(returned);
    }

    /** Members, or per member an array of the member and the WITH* values in Redis's order. */
    private static void reply(RespWriter out, Query q, List<Point> found, int returned) {
        int options = (q.withDist ? 1 : 0) + (q.withHash ? 1 : 0) + (q.withCoord ? 1 : 0);
        out.arrayHeader(returned);
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            if (options > 0) {
                out.arrayHeader(options + 1);
            }
            out.bulk(p.member);
            if (q.withDist) {
                GeoCommands.replyDistance(out, p.dist / q.conversion);
            }
            if (q.withHash) {
                out.integer((long) p.score);
            }
            if (q.withCoord) {
                out.arrayHeader(2);
                GeoCommands.replyCoordinate(out, p.lon);
                GeoCommands.replyCoordinate(out, p.lat);
            }
        }
    }

    private static double nonNegative(byte[] arg, String notNumber, String negative) {
        double d;
        try {
            d = Args.toDouble(arg);
        } catch (CommandError e) {
            throw new CommandError(notNumber);
        }
        if (d < 0) {
            throw new CommandError(negative);
        }
        return d;
    }

    /**
     * The members inside the shape (all distances in meters), in the order Redis finds them: cell by
     * cell, ascending score within a cell; with limit > 0 (COUNT ANY) it stops at limit matches.
     */
    private static List<Point> scan(SortedSetValue z, double[] centre, boolean circle, double radius,
                                    double halfWidth, double halfHeight, long limit) {
        double lon = centre[0], lat = centre[1];
        double reach = circle ? radius : Math.sqrt(halfWidth * halfWidth + halfHeight * halfHeight);
        long[] ranges = circle ? GeoHash.searchRanges(lon, lat, radius, radius, reach)
                : GeoHash.searchRanges(lon, lat, halfWidth, halfHeight, reach);
        List<Point> found = new ArrayList<>();
        for (int r = 0; r < ranges.length; r += 2) {
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            double min = ranges[r], max = ranges[r + 1];
            long from = z.countBefore((s, m) -> s < min);
            long to = z.countBefore((s, m) -> s < max);
            z.visit(from, to - from, false, (member, score) -> {
                if (limit > 0 && found.size() >= limit) {
                    return;
                }
                double[] xy = GeoHash.decode(score);
                double dist;
                if (circle) {
                    dist = GeoHash.distance(lon, lat, xy[0], xy[1]);
                    if (dist > radius) {
                        return;
                    }
                } else {
                    // Redis 7.0 measures the east-west offset along the point's own parallel
                    if (GeoHash.distance(xy[0], xy[1], lon, xy[1]) > halfWidth
                            || GeoHash.distance(xy[0], xy[1], xy[0], lat) > halfHeight) {
                        return;
                    }
                    dist = GeoHash.distance(lon, lat, xy[0], xy[1]);
                }
                found.add(new Point(member, score, xy[0], xy[1], dist));
            });
        }
        return found;
    }
}
