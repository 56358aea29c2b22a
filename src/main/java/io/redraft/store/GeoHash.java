package io.redraft.store;

import java.util.Arrays;

/**
 * The geohash arithmetic behind the GEO commands, computed as Redis does so that scores, positions
 * and search results agree bit for bit: a position is a 52-bit integer (26 bits of latitude on the
 * even bit positions, 26 of longitude on the odd ones) stored as a sorted-set score.
 *
 * <p>Latitudes are limited to the Web Mercator range (±85.05112878) like Redis; only the GEOHASH
 * text re-encodes with the standard ±90 range.
 */
public final class GeoHash {
    public static final double LON_MIN = -180;
    public static final double LON_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    /** Redis's earth radius (meters), used by every distance. */
    public static final double EARTH_RADIUS = 6372797.560856;
    /** The full bits of a stored position. */
    public static final int STEP_MAX = 26;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;
    private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {
    }

    /** True when (lon, lat) may be stored (GEOADD's and the search centre's check). */
    public static boolean valid(double lon, double lat) {
        return lon >= LON_MIN && lon <= LON_MAX && lat >= LAT_MIN && lat <= LAT_MAX;
    }

    /** The 52-bit score of a valid position. */
    public static long encode(double lon, double lat) {
        return encode(lon, lat, LAT_MIN, LAT_MAX, STEP_MAX);
    }

    private static long encode(double lon, double lat, double latMin, double latMax, int step) {
        double latOffset = (lat - latMin) / (latMax - latMin) * (1L << step);
        double lonOffset = (lon - LON_MIN) / (LON_MAX - LON_MIN) * (1L << step);
        // C truncates the double to uint32_t
        return interleave((long) latOffset & 0xffffffffL, (long) lonOffset & 0xffffffffL);
    }

    /** The centre of the cell of a stored score as {lon, lat}, clamped to the valid range as Redis does. */
    public static double[] decode(double score) {
        double[] area = area((long) score, STEP_MAX);
        double lon = Math.max(LON_MIN, Math.min(LON_MAX, (area[0] + area[1]) / 2));
        double lat = Math.max(LAT_MIN, Math.min(LAT_MAX, (area[2] + area[3]) / 2));
        return new double[]{lon, lat};
    }

    /** The cell of hash at step as {lonMin, lonMax, latMin, latMax}. */
    static double[] area(long bits, int step) {
        long sep = deinterleave(bits);
        long ilat = sep & 0xffffffffL;
        long ilon = sep >>> 32;
        double cells = (double) (1L << step);
        double latScale = LAT_MAX - LAT_MIN;
        double lonScale = LON_MAX - LON_MIN;
        return new double[]{
                LON_MIN + (ilon * 1.0 / cells) * lonScale,
                LON_MIN + ((ilon + 1) * 1.0 / cells) * lonScale,
                LAT_MIN + (ilat * 1.0 / cells) * latScale,
                LAT_MIN + ((ilat + 1) * 1.0 / cells) * latScale};
    }

    /** The 11-character standard geohash of a stored score (GEOHASH): re-encoded with latitude ±90. */
    public static String text(double score) {
        double[] xy = decode(score);
        long bits = encode(xy[0], xy[1], -90, 90, STEP_MAX);
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            // 52 bits give ten characters and two bits; the 11th shifts by a negative amount in C,
            // which Redis 7.0 defines as index 0
            int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
            out[i] = BASE32.charAt(idx);
        }
        return new String(out);
    }

    /** Great-circle distance in meters (haversine), as Redis's geohashGetDistance. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lat1r = lat1 * D_R;
        double lon1r = lon1 * D_R;
        double lat2r = lat2 * D_R;
        double lon2r = lon2 * D_R;
        double u = Math.sin((lat2r - lat1r) / 2);
        double v = Math.sin((lon2r - lon1r) / 2);
        return 2.0 * EARTH_RADIUS * Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
    }

    /**
     * The score ranges [min, max) to scan for a search around (lon, lat) that reaches halfWidth /
     * halfHeight meters (a radius gives both) and at most reach meters from the centre: the
     * centre's cell and its neighbours in Redis's order (centre, N, S, E, W, NE, NW, SE, SW),
     * without the neighbours the search cannot touch nor repeats of the previous range. Visiting
     * the ranges in this order makes unsorted and COUNT ANY results equal to Redis's.
     */
    public static long[] searchRanges(double lon, double lat, double halfWidth, double halfHeight, double reach) {
        double latDelta = halfHeight / EARTH_RADIUS / D_R;
        double lonDeltaTop = halfWidth / EARTH_RADIUS / Math.cos((lat + latDelta) * D_R) / D_R;
        double lonDeltaBottom = halfWidth / EARTH_RADIUS / Math.cos((lat - latDelta) * D_R) / D_R;
        boolean south = lat < 0;
        double minLon = south ? lon - lonDeltaBottom : lon - lonDeltaTop;
        double maxLon = south ? lon + lonDeltaBottom : lon + lonDeltaTop;
        double minLat = lat - latDelta;
        double maxLat = lat + latDelta;

        int step = estimateStep(reach, lat);
        long hash = encode(lon, lat, LAT_MIN, LAT_MAX, step);
        long[] cells = neighbours(hash, step);
        // the estimate may be too coarse near a cell edge: the neighbours must cover the bounds
        if (step > 1) {
            double[] n = area(cells[1], step);
            double[] s = area(cells[2], step);
            double[] e = area(cells[3], step);
            double[] w = area(cells[4], step);
            if (n[3] < maxLat || s[2] > minLat || e[1] < maxLon || w[0] > minLon) {
                step--;
                hash = encode(lon, lat, LAT_MIN, LAT_MAX, step);
                cells = neighbours(hash, step);
            }
        }
        boolean[] skip = new boolean[9];
        if (step >= 2) {
            double[] a = area(hash, step);
            if (a[2] < minLat) { // south, south-west, south-east
                skip[2] = skip[8] = skip[7] = true;
            }
            if (a[3] > maxLat) { // north, north-east, north-west
                skip[1] = skip[5] = skip[6] = true;
            }
            if (a[0] < minLon) { // west, south-west, north-west
                skip[4] = skip[8] = skip[6] = true;
            }
            if (a[1] > maxLon) { // east, south-east, north-east
                skip[3] = skip[7] = skip[5] = true;
            }
        }
        long[] ranges = new long[18];
        int n = 0;
        long last = -1;
        int shift = 52 - step * 2;
        for (int i = 0; i < 9; i++) {
            if (skip[i] || (n > 0 && cells[i] == last)) {
                continue;
            }
            last = cells[i];
            ranges[n++] = cells[i] << shift;
            ranges[n++] = (cells[i] + 1) << shift;
        }
        return Arrays.copyOf(ranges, n);
    }

    /** The coarsest step whose cells still make a 3x3 block covering range meters (Redis's estimate). */
    static int estimateStep(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return STEP_MAX;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        // cells get narrower towards the poles
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(STEP_MAX, step));
    }

    /** {centre, N, S, E, W, NE, NW, SE, SW} at step. */
    private static long[] neighbours(long hash, int step) {
        long east = moveX(hash, step, 1);
        long west = moveX(hash, step, -1);
        return new long[]{hash, moveY(hash, step, 1), moveY(hash, step, -1), east, west,
                moveY(east, step, 1), moveY(west, step, 1), moveY(east, step, -1), moveY(west, step, -1)};
    }

    // longitude bits are the odd positions: add or subtract one in that interleaved lane, wrapping
    private static long moveX(long bits, int step, int d) {
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        x = d > 0 ? x + (zz + 1) : (x | zz) - (zz + 1);
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    private static long moveY(long bits, int step, int d) {
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        y = d > 0 ? y + (zz + 1) : (y | zz) - (zz + 1);
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    /** Bits of lat (x) on even positions, of lon (y) on odd ones. */
    private static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    /** Low 32 bits: latitude; high 32 bits: longitude. */
    private static long deinterleave(long bits) {
        return squash(bits) | (squash(bits >>> 1) << 32);
    }

    private static long spread(long v) {
        v &= 0xffffffffL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }
}
