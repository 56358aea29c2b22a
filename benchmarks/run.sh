#!/usr/bin/env bash
# Redraft vs redis-server, side by side on this machine: benchmarks/run.sh [quick|full]
#
#   quick  1 round, 10,000 requests per test, 100,000 keys per memory data set: proves the
#          harness works in a few minutes (CI); its numbers are indicative only.
#   full   5 rounds, 100,000 requests per test, 1,000,000 keys: the numbers we quote (about an
#          hour on a busy 2-core machine: fsync-bound systems run a few thousand writes/s).
#   Overrides: BENCH_ROUNDS, BENCH_REQUESTS, BENCH_KEYS; BENCH_TMPDIR = where data dirs go
#   (default $TMPDIR or /tmp; it must be a real disk, or fsync costs nothing).
#
# Everything listens on 127.0.0.1 only. Systems are measured in alternating rounds
# (A B C D, A B C D, ...) so drift in machine load hits them alike. Every process this script
# starts is stopped by its PID, and its data directories are removed at the end.
#
# Writes (mode = quick|full; full writes RESULTS.md and ratios.png, quick RESULTS-quick.md and
# ratios-quick.png, so a smoke run never overwrites the quoted numbers):
#   raw-<mode>.csv      every redis-benchmark run: throughput and latency percentiles
#   memory-<mode>.csv   RSS before/after loading each data set, and after some idle seconds
#   restart-<mode>.csv  restart time of a Redraft node holding the string data set
#   failover-<mode>.csv leader killed -> first successful write (3-node cluster only)
set -euo pipefail

mode="${1:-quick}"
case "$mode" in
  quick) rounds=1; requests=10000; keys=100000; failover_trials=3; settle_seconds=3; suffix="-quick" ;;
  full)  rounds=5; requests=100000; keys=1000000; failover_trials=20; settle_seconds=15; suffix="" ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac
rounds="${BENCH_ROUNDS:-$rounds}"
requests="${BENCH_REQUESTS:-$requests}"
keys="${BENCH_KEYS:-$keys}"
clients=50
tests="set,get,incr,lpush,rpop,sadd,hset,spop,zadd,lrange_100,lrange_600,mset"
pipelines="1 16"
kinds="string hash set zset list"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/redraft-bench.XXXXXX")"
started="$(date +%s)"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# --- processes: started in the background, remembered by PID, stopped by PID ---------------
declare -A running=() # pid -> name

start_bg() { # name command... ; sets $last_pid
  local name="$1"; shift
  "$@" >"$work/$name.log" 2>&1 &
  last_pid=$!
  running[$last_pid]="$name"
}

stop_pid() { # pid: SIGTERM, up to 30 s to exit, then SIGKILL
  local pid="$1"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "running[$pid]"
}

cleanup() {
  local pid
  for pid in "${!running[@]}"; do
    stop_pid "$pid"
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null || need+=(redis-tools)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- build -------------------------------------------------------------------------------
log "building Redraft"
(cd "$root" && mvn -B -q package -DskipTests)
[ -f "$root/target/redraft-server.jar" ] || { echo "target/redraft-server.jar missing after build" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cli() { # port args...
  local port="$1"; shift
  timeout 10 redis-cli -h 127.0.0.1 -p "$port" "$@"
}

wait_ready() { # port pid [seconds]: 0 once it answers PING, 1 if the process died or time ran out
  local deadline=$(( $(date +%s) + ${3:-60} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(cli "$1" ping 2>/dev/null)" = "PONG" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

now() { date +%s.%N; }
seconds() { # from [to]: elapsed seconds, 3 decimals (awk: bc is not on every machine)
  awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.3f", b - a }'
}
older_than() { # from seconds: true once more than that has passed
  awk -v a="$1" -v b="$(now)" -v s="$2" 'BEGIN { exit !(b - a > s) }'
}

rss_kb() { # pid field (VmRSS, RssAnon, RssFile) -> kB
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# --- how each system is started -------------------------------------------------------------
# Every redis-server runs without RDB snapshots (--save ""), so only the AOF policy differs.
redis_argv() { # system port dir -> $rargs
  rargs=(--port "$2" --bind 127.0.0.1 --save "" --dir "$3" --daemonize no)
  case "$1" in
    redis) rargs+=(--appendonly no) ;;
    redis-aof-everysec) rargs+=(--appendonly yes --appendfsync everysec) ;;
    redis-aof-always) rargs+=(--appendonly yes --appendfsync always) ;;
  esac
}

start_redis() { # system port dir ; sets $last_pid
  redis_argv "$@"
  mkdir -p "$3"
  start_bg "$1-$2" redis-server "${rargs[@]}"
  wait_ready "$2" "$last_pid" 30 || { log "$1 did not start"; tail "$work/$1-$2.log" >&2; return 1; }
}

# raft-fsync is detected, not assumed: a build without the parameter refuses it at start-up,
# so the node then starts without it and is labelled as applying writes locally.
redraft_fsync_args=(--raft-fsync always)
redraft_fsync="unknown"

start_redraft() { # name port dir ; sets $last_pid, returns 1 if it does not start
  mkdir -p "$3"
  start_bg "$1" "$root/bin/redraft-server" --port "$2" --bind 127.0.0.1 --dir "$3" "${redraft_fsync_args[@]}"
  if wait_ready "$2" "$last_pid" 90; then
    return 0
  fi
  stop_pid "$last_pid"
  if [ ${#redraft_fsync_args[@]} -gt 0 ] && grep -q "raft-fsync" "$work/$1.log"; then
    log "this Redraft refuses --raft-fsync ($(grep -m1 -i 'bad directive' "$work/$1.log" | head -c 100)); starting without it"
    redraft_fsync_args=()
    start_redraft "$@"
    return
  fi
  log "Redraft $1 did not start; its log:"
  tail -20 "$work/$1.log" >&2
  return 1
}

# Sets $redraft_fsync from the running node: "always"/"everysec"/"no", or "absent".
detect_fsync() { # port
  local v
  v="$(cli "$1" config get raft-fsync 2>/dev/null | sed -n 2p)"
  redraft_fsync="${v:-absent}"
}

launch() { # system port dir ; sets $last_pid
  case "$1" in
    redraft-1) start_redraft "$1-$2" "$2" "$3" ;;
    redis*) start_redis "$@" ;;
  esac
}

# --- 3-node cluster slot ---------------------------------------------------------------------
# Issue #5 brings bin/redraft-cluster and static start-up flags. Until the script exists the
# cluster is skipped; when it does, the harness starts three bin/redraft-server nodes itself
# (its own ports, data dirs and PIDs) with the static flags issue #5 specifies.
cluster_status="skipped: bin/redraft-cluster does not exist yet (issue #5)"
cluster_ports=()
cluster_pids=()
cluster_args=()

start_cluster_node() { # i (0-based) ; sets cluster_pids[i]
  local i="$1"
  mkdir -p "$work/cluster-$i"
  start_bg "cluster-$i" "$root/bin/redraft-server" --port "${cluster_ports[$i]}" --bind 127.0.0.1 \
    --dir "$work/cluster-$i" "${cluster_args[@]}" --raft-node-id "$((i + 1))" --raft-port "${raft_ports[$i]}"
  cluster_pids[$i]=$last_pid
}

cluster_leader() { # -> port of the node whose ROLE says master, or nothing
  local p
  for p in "${cluster_ports[@]}"; do
    [ "$(cli "$p" role 2>/dev/null | head -1)" = "master" ] && { echo "$p"; return; }
  done
}

start_cluster() {
  [ -x "$root/bin/redraft-cluster" ] || { log "3-node cluster $cluster_status"; return 0; }
  local i peers=""
  raft_ports=()
  for i in 0 1 2; do
    cluster_ports[$i]="$(free_port)"; raft_ports[$i]="$(free_port)"
    peers+="${peers:+,}$((i + 1))@127.0.0.1:${raft_ports[$i]}"
  done
  cluster_args=(--raft-peers "$peers" "${redraft_fsync_args[@]}")
  for i in 0 1 2; do start_cluster_node "$i"; done
  for i in 0 1 2; do
    if ! wait_ready "${cluster_ports[$i]}" "${cluster_pids[$i]}" 90; then
      cluster_status="skipped: node $((i + 1)) did not start (its log ends: $(tail -2 "$work/cluster-$i.log" | tr "\n" " " | head -c 200))"
      log "3-node cluster $cluster_status"; stop_cluster; return 0
    fi
  done
  local deadline=$(( $(date +%s) + 30 ))
  while [ -z "$(cluster_leader)" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  if [ -z "$(cluster_leader)" ]; then
    cluster_status="skipped: no node reported itself master (ROLE) within 30 s"
    log "3-node cluster $cluster_status; the nodes' logs end:"
    for i in 0 1 2; do tail -5 "$work/cluster-$i.log" | sed "s/^/  node $((i + 1)): /" >&2; done
    stop_cluster; return 0
  fi
  cluster_status="measured through the leader"
  log "3-node cluster up on ${cluster_ports[*]}, leader $(cluster_leader)"
}

stop_cluster() {
  local pid
  for pid in "${cluster_pids[@]}"; do stop_pid "$pid"; done
  cluster_pids=()
}

# Leader killed with SIGKILL while a follower takes writes -> first successful write through a
# surviving node; the killed node is restarted before the next trial.
failover_trials() {
  local t leader victim probe t0 t1 load_pid
  echo "trial,seconds" >"$failover_csv"
  for t in $(seq 1 "$failover_trials"); do
    leader="$(cluster_leader)"
    [ -n "$leader" ] || { log "failover: no leader before trial $t"; break; }
    for victim in 0 1 2; do [ "${cluster_ports[$victim]}" = "$leader" ] && break; done
    probe="${cluster_ports[$(( (victim + 1) % 3 ))]}"
    start_bg "failover-load-$t" redis-benchmark -h 127.0.0.1 -p "${cluster_ports[$(( (victim + 2) % 3 ))]}" \
      -t set -n 100000000 -c 10 -q
    load_pid=$last_pid
    sleep 1
    t0="$(now)"
    kill -9 "${cluster_pids[$victim]}"; wait "${cluster_pids[$victim]}" 2>/dev/null || true
    unset "running[${cluster_pids[$victim]}]"
    until [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$probe" set failover:probe "$t" 2>/dev/null)" = "OK" ]; do
      sleep 0.01
      older_than "$t0" 60 && break
    done
    t1="$(now)"
    stop_pid "$load_pid"
    echo "$t,$(seconds "$t0" "$t1")" >>"$failover_csv"
    log "failover trial $t: $(seconds "$t0" "$t1") s"
    start_cluster_node "$victim"
    wait_ready "${cluster_ports[$victim]}" "${cluster_pids[$victim]}" 90 || { log "killed node did not restart"; break; }
  done
}

# --- throughput and latency ------------------------------------------------------------------
bench() { # port pipeline requests test -> CSV on stdout
  timeout 1200 redis-benchmark -h 127.0.0.1 -p "$1" -t "$4" -n "$3" -c "$clients" -P "$2" -q --csv
}

# One redis-benchmark run per test, so that a command a system lacks fails only its own row
# (redis-benchmark stops at the first error reply) and is reported, not hidden.
record() { # system port pipeline round
  local t out
  for t in ${tests//,/ }; do
    if out="$(bench "$2" "$3" "$requests" "$t" 2>&1)" && ! grep -q '^Error' <<<"$out"; then
      # CSV rows: "SET","123456.79","0.508","0.216","0.495","0.567","0.727","3.911" (header starts "test")
      awk -F'","' -v s="$1" -v p="$3" -v r="$4" '
        $1 != "\"test" && NF >= 8 {
          t = $1; sub(/^"/, "", t); last = $8; sub(/"$/, "", last)
          print s "," p "," r ",\"" t "\"," $2 "," $3 "," $4 "," $5 "," $6 "," $7 "," last }' <<<"$out" >>"$raw"
    else
      # Named as redis-benchmark names the test's rows, by prefix.
      log "$1 -t $t -P $3 failed: $(grep -m1 '^Error' <<<"$out" | head -c 200)"
      echo "$1,$3,$4,\"${t^^}\",ERROR,,,,,," >>"$raw"
      { grep -m1 '^Error' <<<"$out" | head -c 200; echo; } | sed "s/^/$1 -t $t: /" >>"$errors" || true
    fi
  done
}

raw="$here/raw-$mode.csv"
memory_csv="$here/memory-$mode.csv"
restart_csv="$here/restart-$mode.csv"
failover_csv="$here/failover-$mode.csv"
errors="$work/errors.txt"
commands="$work/commands.txt"
echo "system,pipeline,round,test,rps,avg_ms,min_ms,p50_ms,p95_ms,p99_ms,max_ms" >"$raw"
: >"$errors"
: >"$commands"
rm -f "$failover_csv"

systems=(redis redis-aof-everysec redis-aof-always redraft-1)
declare -A port_of=() pid_of=()
for s in "${systems[@]}"; do
  port_of[$s]="$(free_port)"
  log "starting $s on ${port_of[$s]}"
  launch "$s" "${port_of[$s]}" "$work/$s" || { echo "$s did not start" >&2; exit 1; }
  pid_of[$s]=$last_pid
done
detect_fsync "${port_of[redraft-1]}"
log "Redraft raft-fsync: $redraft_fsync"
{
  for s in redis redis-aof-everysec redis-aof-always; do
    redis_argv "$s" PORT DIR
    echo "$s: redis-server $(printf '%q ' "${rargs[@]}")"
  done
  echo "redraft-1: bin/redraft-server --port PORT --bind 127.0.0.1 --dir DIR ${redraft_fsync_args[*]}"
} >>"$commands"

start_cluster
if [ "$cluster_status" = "measured through the leader" ]; then
  systems+=(redraft-3 redraft-3-follower)
  port_of[redraft-3]="$(cluster_leader)"
  for p in "${cluster_ports[@]}"; do [ "$p" = "${port_of[redraft-3]}" ] || port_of[redraft-3-follower]="$p"; done
  echo "redraft-3: 3 x bin/redraft-server --port PORTi --bind 127.0.0.1 --dir <data dir i> --raft-node-id i --raft-port RPORTi ${cluster_args[*]}" >>"$commands"
  echo "redraft-3-follower: the same cluster, redis-benchmark connected to a follower (which forwards writes and confirms reads with the leader)" >>"$commands"
fi

# Warm-up (not recorded): the JVM compiles its hot paths before the first measured round.
log "warm-up of the Redraft systems"
for s in "${systems[@]}"; do
  [[ "$s" == redraft* ]] || continue
  for p in $pipelines; do
    for t in ${tests//,/ }; do bench "${port_of[$s]}" "$p" "$requests" "$t" >/dev/null 2>&1 || true; done
  done
done

for round in $(seq 1 "$rounds"); do
  for p in $pipelines; do
    for s in "${systems[@]}"; do
      log "round $round/$rounds  -P $p  $s"
      record "$s" "${port_of[$s]}" "$p" "$round"
    done
  done
done

# --- stock tools against Redraft ---------------------------------------------------------
compat="$work/compat.txt"
{
  check() { # description command...
    local desc="$1"; shift
    local out status=ok
    out="$("$@" 2>&1)" || status=FAILED
    grep -q '^Error' <<<"$out" && status=FAILED
    echo "| \`$desc\` | $status | $(tr '\r\n|' '  /' <<<"$out" | tr -s ' ' | tail -c 100) |"
  }
  rp="${port_of[redraft-1]}"
  check "redis-cli -p P ping" cli "$rp" ping
  check "redis-cli -p P set k v" cli "$rp" set bench:compat v
  check "redis-cli -p P get k" cli "$rp" get bench:compat
  check "redis-benchmark -t $tests -q" redis-benchmark -h 127.0.0.1 -p "$rp" -t "$tests" -n 2000 -q
} >"$compat"

if [ "$cluster_status" = "measured through the leader" ]; then
  log "failover: $failover_trials trials"
  failover_trials
  stop_cluster
fi
for s in "${systems[@]}"; do
  [[ "$s" == redraft-3* ]] || stop_pid "${pid_of[$s]}"
done

# Restart time of a node holding data: SIGTERM, wait for exit, start it again on the same
# directory, and time until it answers PING with the DBSIZE it had (JVM start included).
measure_restart() { # system pid port dir dbsize ; sets $last_pid to the restarted node
  local s="$1" pid="$2" port="$3" dir="$4" dbsize="$5" t0 t1 t2 after status
  t0="$(now)"; stop_pid "$pid"; t1="$(now)"
  start_redraft "$s-$port-restart" "$port" "$dir" || true
  until [ "$(cli "$port" dbsize 2>/dev/null)" = "$dbsize" ] || ! kill -0 "$last_pid" 2>/dev/null \
    || older_than "$t1" 120; do sleep 0.05; done
  t2="$(now)"
  after="$(cli "$port" dbsize 2>/dev/null || echo "?")"
  status=ok; [ "$after" = "$dbsize" ] || status="DBSIZE $after after restart (expected $dbsize)"
  echo "$s,$keys,$redraft_fsync,$(seconds "$t0" "$t1"),$(seconds "$t1" "$t2"),$after,$status" >>"$restart_csv"
  log "restart: stop $(seconds "$t0" "$t1") s, start to serving $(seconds "$t1" "$t2") s ($status)"
}

# --- memory: RSS after loading the same data into fresh servers ------------------------------
# One fresh server per data set and system; redis-server without persistence is the baseline.
echo "system,kind,keys,rss_empty_kb,rss_loaded_kb,rss_anon_kb,rss_file_kb,rss_after_gc_kb,load_seconds,dbsize,rss_settled_kb,heap_live_kb" >"$memory_csv"
echo "system,keys,raft_fsync,stop_seconds,restart_seconds,dbsize_after,status" >"$restart_csv"
echo "loader: python3 benchmarks/gen-data.py KIND $keys | redis-cli -h 127.0.0.1 -p PORT --pipe" >>"$commands"
for kind in $kinds; do
  for s in redis redraft-1; do
    port="$(free_port)"
    dir="$work/mem-$s-$kind"
    launch "$s" "$port" "$dir" || { echo "$s did not start for the memory test" >&2; exit 1; }
    pid=$last_pid
    [ "$s" = redraft-1 ] && detect_fsync "$port"
    empty="$(rss_kb "$pid" VmRSS)"
    t0="$(now)"
    python3 "$here/gen-data.py" "$kind" "$keys" | timeout 1200 redis-cli -h 127.0.0.1 -p "$port" --pipe >"$work/load.log" 2>&1 \
      || log "$s $kind load: $(tail -2 "$work/load.log" | tr '\n' ' ')"
    t1="$(now)"
    dbsize="$(cli "$port" dbsize)"
    loaded="$(rss_kb "$pid" VmRSS)"; anon="$(rss_kb "$pid" RssAnon)"; file="$(rss_kb "$pid" RssFile)"
    # Both systems then sit idle for the same time: the JVM's collector gives back heap it no
    # longer needs only some seconds after the load stops (G1PeriodicGCInterval in bin/redraft-server).
    sleep "$settle_seconds"
    settled="$(rss_kb "$pid" VmRSS)"
    after_gc=""; heap_live=""
    if [ "$s" = redraft-1 ] && command -v jcmd >/dev/null; then
      # The JVM keeps garbage and free heap resident until it collects: also show RSS after a full
      # GC, and the heap the data really holds (used after it), which is what the data structures cost.
      if timeout 60 jcmd "$pid" GC.run >/dev/null 2>&1; then
        after_gc="$(rss_kb "$pid" VmRSS)"
        heap_live="$(timeout 30 jcmd "$pid" GC.heap_info 2>/dev/null | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)"
      fi
    fi
    echo "$s,$kind,$keys,$empty,$loaded,$anon,$file,$after_gc,$(seconds "$t0" "$t1"),$dbsize,$settled,$heap_live" >>"$memory_csv"
    log "memory $s $kind: $dbsize keys, RSS ${empty} kB -> ${loaded} kB"
    if [ "$s" = redraft-1 ] && [ "$kind" = string ]; then
      # Restart time: only meaningful once the node persists (the raft-fsync parameter exists).
      if [ "$redraft_fsync" = absent ]; then
        echo "$s,$keys,absent,,,,n/a: no persistence yet" >>"$restart_csv"
        log "restart: n/a, no persistence yet"
      else
        measure_restart "$s" "$pid" "$port" "$dir" "$dbsize"
        pid=$last_pid
      fi
    fi
    stop_pid "$pid"
    rm -rf "$dir"
  done
done

# --- report ------------------------------------------------------------------------------
export BENCH_MODE="$mode" BENCH_ROUNDS="$rounds" BENCH_REQUESTS="$requests" BENCH_CLIENTS="$clients"
export BENCH_TESTS="$tests" BENCH_PIPELINES="$pipelines" BENCH_KEYS="$keys" BENCH_COMMANDS="$commands"
export BENCH_COMPAT="$compat" BENCH_ERRORS="$errors" BENCH_LOAD_BEFORE="$load_before"
export BENCH_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" BENCH_REDIS_VERSION="$(redis-server --version)"
export BENCH_RAFT_FSYNC="$redraft_fsync" BENCH_CLUSTER="$cluster_status" BENCH_SECONDS="$(( $(date +%s) - started ))"
export BENCH_FS="$(df -PT "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }')"
export BENCH_MEMORY="$memory_csv" BENCH_RESTART="$restart_csv" BENCH_FAILOVER="$failover_csv"
export BENCH_CHART="$here/ratios$suffix.png"
python3 "$here/report.py" "$raw" >"$here/RESULTS$suffix.md"
log "wrote $here/RESULTS$suffix.md, $(basename "$BENCH_CHART") and the raw CSVs in $(( $(date +%s) - started )) s"
