#!/usr/bin/env python3
"""Writes RESP commands to stdout for `redis-cli --pipe`: exactly COUNT distinct keys of one kind,
so every server measured holds the same data (redis-benchmark -r draws keys at random and
leaves fewer distinct keys than requests).

    gen-data.py KIND COUNT | redis-cli -p PORT --pipe

Kinds (key names are KIND:NNNNNNNNNN):
  string  SET with a 100-byte value
  hash    HSET with 5 fields of 10-byte values     (small: a listpack in Redis 7.0)
  set     SADD with 5 members of 10 bytes
  zset    ZADD with 5 members of 10 bytes          (small: a listpack in Redis 7.0)
  list    RPUSH with 5 elements of 10 bytes        (small: one listpack quicklist node)
"""
import sys

SMALL = 5


def bulk(b):
    return b"$%d\r\n%s\r\n" % (len(b), b)


def command(*args):
    return b"*%d\r\n" % len(args) + b"".join(bulk(a) for a in args)


def members(i):
    # 10 bytes each, different per key so no server can share them.
    return [b"m%d-%07d" % (j, i % 10_000_000) for j in range(SMALL)]


def one(kind, i):
    key = b"%s:%010d" % (kind.encode(), i)
    if kind == "string":
        return command(b"SET", key, (b"v%010d" % i).ljust(100, b"x"))
    m = members(i)
    if kind == "hash":
        args = [b"HSET", key]
        for j, v in enumerate(m):
            args += [b"f%d" % j, v]
        return command(*args)
    if kind == "set":
        return command(b"SADD", key, *m)
    if kind == "zset":
        args = [b"ZADD", key]
        for j, v in enumerate(m):
            args += [b"%d" % j, v]
        return command(*args)
    if kind == "list":
        return command(b"RPUSH", key, *m)
    raise SystemExit(f"unknown kind {kind}; use string, hash, set, zset or list")


def main():
    kind, count = sys.argv[1], int(sys.argv[2])
    out = sys.stdout.buffer
    chunk = []
    for i in range(count):
        chunk.append(one(kind, i))
        if len(chunk) == 10_000:
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk))
    out.flush()


if __name__ == "__main__":
    main()
