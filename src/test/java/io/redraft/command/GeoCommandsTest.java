package io.redraft.command;

import io.redraft.testing.Raw;
import io.redraft.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;

import static io.redraft.testing.Raw.list;
import static org.junit.jupiter.api.Assertions.*;

/** GEO commands against the outputs of Redis 7.0.15 for the same data. */
@Timeout(60)
class GeoCommandsTest extends ServerTestBase {

    private Object call(String... argv) {
        return Raw.call(jedis, argv);
    }

    private String error(String... argv) {
        return Raw.error(jedis, argv);
    }

    private void sicily() {
        assertEquals(2L, call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
    }

    private void sicilyWithEdges() {
        sicily();
        assertEquals(2L, call("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"));
    }

    @Test
    void geoaddStoresGeohashScores() {
        sicily();
        assertEquals("3479099956230698", call("ZSCORE", "Sicily", "Palermo"));
        assertEquals("3479447370796909", call("ZSCORE", "Sicily", "Catania"));
        assertEquals(0L, call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"));
        // CH counts the moved member; NX leaves existing ones alone; XX adds nothing new
        assertEquals(1L, call("GEOADD", "Sicily", "CH", "13", "38", "Palermo", "15.087269", "37.502669", "Catania"));
        assertEquals(1L, call("GEOADD", "Sicily", "NX", "1", "1", "Palermo", "2", "2", "New"));
        assertEquals(0L, call("GEOADD", "Sicily", "XX", "3", "3", "Other"));
        assertEquals(1L, call("GEOADD", "Sicily", "XX", "CH", "3", "3", "New"));
        assertEquals(3L, call("ZCARD", "Sicily"));
        assertEquals(0L, call("EXISTS", "nothing"));
        assertEquals(0L, call("GEOADD", "nothing", "XX", "1", "1", "a"));
        assertEquals(0L, call("EXISTS", "nothing"));
    }

    @Test
    void geoaddErrors() {
        assertEquals("ERR invalid longitude,latitude pair 200.000000,1.000000", error("GEOADD", "k", "200", "1", "x"));
        assertEquals("ERR invalid longitude,latitude pair 1.000000,85.051130", error("GEOADD", "k", "1", "85.05113", "x"));
        // nothing is written when a later pair is invalid
        assertEquals("ERR invalid longitude,latitude pair 200.000000,1.000000",
                error("GEOADD", "k", "1", "2", "a", "200", "1", "b"));
        assertEquals(0L, call("EXISTS", "k"));
        assertEquals("ERR syntax error", error("GEOADD", "k", "NX", "XX", "1", "2", "x"));
        assertEquals("ERR syntax error", error("GEOADD", "k", "1", "2", "x", "3"));
        assertEquals("ERR value is not a valid float", error("GEOADD", "k", "a", "2", "x"));
        assertEquals("ERR wrong number of arguments for 'geoadd' command", error("GEOADD", "k", "1", "2"));
        call("SET", "s", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", error("GEOADD", "s", "1", "2", "x"));
    }

    @Test
    void geodistInEveryUnit() {
        sicily();
        assertEquals("166274.1516", call("GEODIST", "Sicily", "Palermo", "Catania"));
        assertEquals("166.2742", call("GEODIST", "Sicily", "Palermo", "Catania", "km"));
        assertEquals("103.3182", call("GEODIST", "Sicily", "Palermo", "Catania", "MI"));
        assertEquals("545518.8700", call("GEODIST", "Sicily", "Palermo", "Catania", "ft"));
        assertEquals("0.0000", call("GEODIST", "Sicily", "Palermo", "Palermo"));
        assertNull(call("GEODIST", "Sicily", "Palermo", "Nope"));
        assertNull(call("GEODIST", "nokey", "a", "b"));
        assertEquals("ERR unsupported unit provided. please use M, KM, FT, MI",
                error("GEODIST", "Sicily", "Palermo", "Catania", "yd"));
        assertEquals("ERR syntax error", error("GEODIST", "Sicily", "Palermo", "Catania", "km", "x"));
    }

    @Test
    void geohashAndGeopos() {
        sicilyWithEdges();
        assertEquals(list("sqc8b49rny0", "sqdtr74hyu0", null), call("GEOHASH", "Sicily", "Palermo", "Catania", "nope"));
        assertEquals(list("sqchdm4mq20", "squk8m4vk20"), call("GEOHASH", "Sicily", "edge1", "edge2"));
        assertEquals(list(list("13.36138933897018433", "38.11555639549629859"), null,
                        list("17.24151045083999634", "38.78813451624225195")),
                call("GEOPOS", "Sicily", "Palermo", "nope", "edge2"));
        assertEquals(list("12.7584877610206604", "38.78813451624225195").toString(),
                ((List<?>) ((List<?>) call("GEOPOS", "Sicily", "edge1")).get(0)).toString());
        assertEquals(list(null, null), call("GEOHASH", "nokey", "a", "b"));
        assertEquals(list(null, null), call("GEOPOS", "nokey", "a", "b"));
    }

    @Test
    void geosearchOrdersAndOptions() {
        sicilyWithEdges();
        assertEquals(list("Catania", "Palermo"), call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"));
        // unsorted results come in Redis's cell order
        assertEquals(list("Palermo", "edge1", "Catania", "edge2"),
                call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km"));
        assertEquals(list("edge1", "edge2", "Palermo", "Catania"),
                call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km", "DESC"));
        assertEquals(list("Palermo", "edge1"),
                call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km", "COUNT", "2", "ANY"));
        assertEquals(list("Catania", "Palermo"),
                call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km", "COUNT", "2"));
        assertEquals(list(
                        list("Catania", "56.4413", list("15.08726745843887329", "37.50266842333162032")),
                        list("Palermo", "190.4424", list("13.36138933897018433", "38.11555639549629859")),
                        list("edge2", "279.7403", list("17.24151045083999634", "38.78813451624225195")),
                        list("edge1", "279.7405", list("12.7584877610206604", "38.78813451624225195"))),
                call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"));
        assertEquals(list(list("Palermo", 3479099956230698L), list("edge1", 3479273021651468L),
                        list("Catania", 3479447370796909L), list("edge2", 3481342659049484L)),
                call("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "500", "200", "mi", "WITHHASH"));
        assertEquals(list(), call("GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km"));
        assertEquals(list(), call("GEOSEARCH", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"));
    }

    @Test
    void boxWidthIsMeasuredAlongThePointsParallel() {
        // 10 degrees east is ~380 km at latitude 70 but ~556 km at the centre's latitude 60
        assertEquals(2L, call("GEOADD", "b", "10", "70", "north", "10", "60", "same"));
        assertEquals(list(list("north", "1203.8777")),
                call("GEOSEARCH", "b", "FROMLONLAT", "0", "60", "BYBOX", "900", "3000", "km", "WITHDIST"));
    }

    @Test
    void countPicksAmongEqualDistancesAsRedis() {
        // Redis sorts only the COUNT prefix with its (unstable) pqsort: ties come out in its order
        call("GEOADD", "t", "13", "38", "a", "13", "38", "b", "13", "38", "c", "13", "38", "d", "13", "38", "e",
                "13", "38", "f", "13", "38", "g", "13", "38", "h", "13", "38", "i", "13.5", "38", "near",
                "13", "38.5", "z1", "13", "38.5", "z2", "13", "38.5", "z3", "13", "38.5", "z4");
        assertEquals(list("near", "b", "c", "d"), call("GEORADIUS", "t", "13.5", "38.1", "100", "km", "COUNT", "4"));
        assertEquals(list("z1", "z2", "z3", "z4", "e", "f"),
                call("GEORADIUS", "t", "13.5", "38.1", "100", "km", "COUNT", "6", "DESC"));
        // a full sort is stable
        assertEquals(list("near", "a", "b", "c", "d", "e", "f", "g", "h", "i", "z1", "z2", "z3", "z4"),
                call("GEORADIUS", "t", "13.5", "38.1", "100", "km", "ASC"));
    }

    @Test
    void resp3SendsCoordinatesAsDoubles() throws Exception {
        sicily();
        try (RawResp raw = new RawResp(server.port())) {
            raw.call("HELLO", "3");
            assertEquals("*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n",
                    raw.call("GEOPOS", "Sicily", "Palermo", "nope"));
            assertEquals("*1\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n"
                            + "*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n",
                    raw.call("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "100", "km",
                            "WITHDIST", "WITHHASH", "WITHCOORD"));
            assertEquals("$11\r\n166274.1516\r\n", raw.call("GEODIST", "Sicily", "Palermo", "Catania"));
        }
    }

    @Test
    void smallDistancesAndTheEdgesOfTheMap() {
        call("GEOADD", "points", "-122.407107", "37.794300", "1", "-122.227336", "37.794300", "2");
        assertEquals(list(list("1", "0.0001"), list("2", "9.8182")),
                call("GEORADIUS", "points", "-122.407107", "37.794300", "30", "mi", "ASC", "WITHDIST"));
        assertEquals(list(), call("GEOHASH", "points"));
        assertEquals(list(), call("GEOPOS", "points"));
        // the cell centre past the limit is clamped back to it
        assertEquals(2L, call("GEOADD", "points", "180", "85.05112878", "top", "-180", "-85.05112878", "bottom"));
        assertEquals(list(list("180", "85.0511287799999991"), list("-179.99999731779098511", "-85.05112751263942528")),
                call("GEOPOS", "points", "top", "bottom"));
        assertEquals(list("bp05b5048p0", "00bh0hbj200"), call("GEOHASH", "points", "top", "bottom"));
    }

    @Test
    void georadiusForms() {
        sicily();
        assertEquals(list(list("Catania", "56.4413", 3479447370796909L, list("15.08726745843887329", "37.50266842333162032")),
                        list("Palermo", "190.4424", 3479099956230698L, list("13.36138933897018433", "38.11555639549629859"))),
                call("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC"));
        assertEquals(list(list("Palermo", "166.2742"), list("Catania", "0.0000")),
                call("GEORADIUSBYMEMBER", "Sicily", "Catania", "200", "km", "WITHDIST", "DESC"));
        assertEquals(list(list("Catania", "56.4413")),
                call("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "COUNT", "1", "WITHDIST"));
        assertEquals(list("Catania", "Palermo"), call("GEORADIUSBYMEMBER_RO", "Sicily", "Catania", "200", "km", "ASC"));
        assertEquals("ERR syntax error", error("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "x"));
        assertEquals("ERR syntax error", error("GEORADIUS", "Sicily", "15", "37", "200", "km", "BYBOX", "1", "1", "km"));
        assertEquals("ERR could not decode requested zset member", error("GEORADIUSBYMEMBER", "Sicily", "Nope", "1", "km"));
    }

    @Test
    void storeVariants() {
        sicilyWithEdges();
        assertEquals(2L, call("GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "dd"));
        assertEquals(list("Catania", "56.441257870158204", "Palermo", "190.44242984775784"),
                call("ZRANGE", "dd", "0", "-1", "WITHSCORES"));
        assertEquals(2L, call("GEORADIUSBYMEMBER", "Sicily", "Catania", "200", "km", "STORE", "ds"));
        assertEquals(list("Palermo", "3479099956230698", "Catania", "3479447370796909"),
                call("ZRANGE", "ds", "0", "-1", "WITHSCORES"));
        assertEquals(3L, call("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "300", "km", "STOREDIST", "COUNT", "3"));
        assertEquals(list("Catania", "56.441257870158204", "Palermo", "190.44242984775784", "edge2", "279.7403417843143"),
                call("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        // an empty result deletes the destination, a missing source too
        assertEquals(0L, call("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"));
        assertEquals(0L, call("EXISTS", "dst"));
        assertEquals(0L, call("GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "ds"));
        assertEquals(0L, call("EXISTS", "ds"));
        assertEquals("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                error("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"));
        assertEquals("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                error("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "x", "WITHDIST"));
    }

    @Test
    void searchErrors() {
        sicily();
        assertEquals("ERR syntax error", error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "BYBOX", "1", "1", "km"));
        assertEquals("ERR syntax error", error("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"));
        assertEquals("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch",
                error("geosearch", "Sicily", "BYBOX", "1", "1", "km", "ASC"));
        assertEquals("ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch",
                error("geosearch", "Sicily", "FROMLONLAT", "15", "37", "ASC", "ASC"));
        assertEquals("ERR COUNT must be > 0", error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"));
        assertEquals("ERR value is not an integer or out of range",
                error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x"));
        assertEquals("ERR the ANY argument requires COUNT argument",
                error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY"));
        assertEquals("ERR radius cannot be negative", error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"));
        assertEquals("ERR need numeric radius", error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"));
        assertEquals("ERR height or width cannot be negative", error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km"));
        assertEquals("ERR unsupported unit provided. please use M, KM, FT, MI",
                error("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "kmx"));
        assertEquals("ERR invalid longitude,latitude pair 200.000000,37.000000",
                error("GEOSEARCH", "Sicily", "FROMLONLAT", "200", "37", "BYRADIUS", "1", "km"));
        assertEquals("ERR could not decode requested zset member",
                error("GEOSEARCH", "Sicily", "FROMMEMBER", "Nope", "BYRADIUS", "200", "km"));
        assertEquals(list(), call("GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYBOX", "1", "1", "km"));
        call("SET", "s", "v");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                error("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km"));
    }

    @Test
    void commandTableFlags() {
        String info = String.valueOf(call("COMMAND", "INFO", "geoadd", "georadius", "georadius_ro", "geosearchstore"));
        assertTrue(info.contains("geoadd"), info);
        List<?> keys = (List<?>) call("COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "2", "3", "km", "STORE", "a", "STOREDIST", "b");
        assertEquals(Arrays.asList("src", "b"), keys);
        assertEquals(list("dst", "src"), call("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km"));
    }
}
