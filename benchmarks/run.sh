#!/usr/bin/env bash
# Redraft vs redis-server, side by side with redis-benchmark: benchmarks/run.sh [quick|full]
#
# Both servers run on loopback on this machine; rounds alternate (redis, redraft, redis, ...)
# so drift in machine load hits both alike. Writes benchmarks/RESULTS.md and raw-<mode>.csv.
set -euo pipefail

mode="${1:-quick}"
case "$mode" in
  quick) rounds=2; requests=20000 ;;
  full)  rounds=5; requests=200000 ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac
clients=50
tests="set,get,incr,mset,ping"
pipelines="1 16"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
pids=()

cleanup() {
  # Stop only what this script started, by PID.
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

# --- tools -------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
  log "installing redis-server and redis-tools"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q
  $sudo apt-get install -y -q redis-server redis-tools
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- build -------------------------------------------------------------------------------
log "building Redraft"
(cd "$root" && mvn -B -q package -DskipTests)
[ -f "$root/target/redraft-server.jar" ] || { echo "target/redraft-server.jar missing after build" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() { # port name
  for _ in $(seq 1 300); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not answer PING on port $1" >&2
  exit 1
}

# --- servers -----------------------------------------------------------------------------
redis_port="$(free_port)"
redraft_port="$(free_port)"
redis_cmd=(redis-server --save '' --appendonly no --port "$redis_port" --bind 127.0.0.1)
redraft_dir="$work/redraft-data"
mkdir -p "$redraft_dir"
redraft_cmd=("$root/bin/redraft-server" --port "$redraft_port" --dir "$redraft_dir")

log "starting redis-server on $redis_port"
"${redis_cmd[@]}" >"$work/redis.log" 2>&1 &
pids+=($!)
log "starting Redraft on $redraft_port"
"${redraft_cmd[@]}" >"$work/redraft.log" 2>&1 &
pids+=($!)
wait_ready "$redis_port" redis-server
wait_ready "$redraft_port" Redraft

bench() { # port pipeline requests test -> CSV on stdout
  redis-benchmark -h 127.0.0.1 -p "$1" -t "$4" -n "$3" -c "$clients" -P "$2" -q --csv
}

# One redis-benchmark run per test, so that a command Redraft lacks fails only its own row
# (redis-benchmark stops at the first error reply) and is reported, not hidden.
record() { # system port pipeline round
  local t out
  for t in ${tests//,/ }; do
    if out="$(bench "$2" "$3" "$requests" "$t" 2>&1)" && ! grep -q '^Error' <<<"$out"; then
      # CSV rows look like: "SET","123456.79",... (the header row starts with "test")
      awk -F'","' -v s="$1" -v p="$3" -v r="$4" '
        $1 != "\"test" && NF > 1 { t = $1; sub(/^"/, "", t); print s "," p "," r ",\"" t "\"," $2 }' <<<"$out" >>"$raw"
    else
      # Named as redis-benchmark names the test's rows, by prefix (ping: PING_INLINE, PING_MBULK).
      log "$1 -t $t -P $3 failed: $(grep -m1 '^Error' <<<"$out" | head -c 200)"
      echo "$1,$3,$4,\"${t^^}\",ERROR" >>"$raw"
      { grep -m1 '^Error' <<<"$out" | head -c 200; echo; } | sed "s/^/$1 -t $t: /" >>"$errors" || true
    fi
  done
}

raw="$here/raw-$mode.csv"
errors="$work/errors.txt"
echo "system,pipeline,round,test,rps" >"$raw"
: >"$errors"

# Warm-up (not recorded): lets the JVM compile its hot paths before the first measured round.
log "warm-up"
for p in $pipelines; do
  for t in ${tests//,/ }; do
    bench "$redis_port" "$p" "$requests" "$t" >/dev/null 2>&1 || true
    bench "$redraft_port" "$p" "$requests" "$t" >/dev/null 2>&1 || true
  done
done

for round in $(seq 1 "$rounds"); do
  for p in $pipelines; do
    for system in redis redraft; do
      if [ "$system" = redis ]; then port="$redis_port"; else port="$redraft_port"; fi
      log "round $round/$rounds  -P $p  $system"
      record "$system" "$port" "$p" "$round"
    done
  done
done

# --- compatibility checks: do the stock Redis tools work against Redraft? -----------------
compat="$work/compat.txt"
{
  check() { # description command...
    local desc="$1"; shift
    local out status=ok
    out="$("$@" 2>&1)" || status=FAILED
    grep -q '^Error' <<<"$out" && status=FAILED
    # redis-benchmark -q redraws its progress line with \r: keep the last 100 characters.
    echo "| \`$desc\` | $status | $(tr '\r\n|' '  /' <<<"$out" | tr -s ' ' | tail -c 100) |"
  }
  check "redis-cli -p P ping" redis-cli -h 127.0.0.1 -p "$redraft_port" ping
  check "redis-cli -p P set k v" redis-cli -h 127.0.0.1 -p "$redraft_port" set bench:compat v
  check "redis-cli -p P get k" redis-cli -h 127.0.0.1 -p "$redraft_port" get bench:compat
  check "redis-benchmark -t ping,set,get,incr,mset -q" \
    redis-benchmark -h 127.0.0.1 -p "$redraft_port" -t ping,set,get,incr,mset -n 2000 -q
} >"$compat"

# --- report ------------------------------------------------------------------------------
export BENCH_MODE="$mode" BENCH_ROUNDS="$rounds" BENCH_REQUESTS="$requests" BENCH_CLIENTS="$clients"
export BENCH_TESTS="$tests" BENCH_PIPELINES="$pipelines"
export BENCH_REDIS_CMD="$(printf '%q ' "${redis_cmd[@]}")" BENCH_REDRAFT_CMD="bin/redraft-server --port $redraft_port --dir <fresh temporary directory>"
export BENCH_COMPAT="$compat" BENCH_ERRORS="$errors" BENCH_LOAD_BEFORE="$load_before" BENCH_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" BENCH_REDIS_VERSION="$(redis-server --version)"
python3 "$here/report.py" "$raw" >"$here/RESULTS.md"
log "wrote $here/RESULTS.md and $raw"
