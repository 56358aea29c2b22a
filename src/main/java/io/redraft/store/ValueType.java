package io.redraft.store;

/** The Redis data types, with the names TYPE returns. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String typeName;

    ValueType(String typeName) {
        this.typeName = typeName;
    }

    public String typeName() {
        return typeName;
    }

    public static ValueType of(Object value) {
        return value instanceof byte[] ? STRING : ((RedisValue) value).type();
    }
}
