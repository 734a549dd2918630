#!/usr/bin/env bash
# Runs the benchmark side by side with the peers and writes docs/benchmarks.md.
#   bench/run.sh           full sizes (10k idle connections, 5,000- and 10,000-member rooms, 100,000
#                          connections over 6 hub nodes on one Redis): about 35 minutes on 2 cores (2026-12-01)
#   bench/run.sh --quick   small sizes, about ten minutes: no 10,000-member room, no 100,000 connections
# Every room scenario (burst, steady, the 10,000-member room) also runs on 2 nodes on one Redis: our hub
# with raw, SignalR JSON and mixed members, the minimal SignalR hub on SignalR's own Redis backplane;
# 5,000 SignalR JSON clients join one room on one node with and without Redis configured.
# The 10,000-member mixed room (full runs) runs twice more, one node and 2 nodes alternating: its 2-node p99 target
# takes the median of the 3 pairs.
# Options (after --quick or alone):
#   --cluster      only what the cluster targets need: the room scenarios on one node and on 2 nodes for our
#                  hub and the minimal SignalR hub, and the joins; no idle, MessagePack, Kestrel, Node peers,
#                  100,000 connections or micro-benchmarks. The report goes to $TMPDIR/wschat-bench-cluster.md.
#   --room=N       rooms of N members instead (the big room 2N, the joins N), e.g. a short check with 500
#   --report=FILE  where the report goes (charts into benchmarks/ beside it)
# Loopback only; every server and generator run is bounded in connections and time.
# Needs, besides the .NET SDK and Node: redis-server for the cluster scenarios (Debian: redis-server;
# without it they are skipped) and a TrueType font under /usr/share/fonts for the charts (Debian:
# fonts-dejavu-core; SkiaSharp's self-contained Linux build needs no other native package).
set -euo pipefail
cd "$(dirname "$0")/.."

# many_*: nodes on one Redis, generator processes (each holds at most ~20,000 open files here), connections per process.
mode=full; only_cluster=false; room_size=""; report=""
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --cluster) only_cluster=true ;;
    --room=*) room_size=${arg#--room=} ;;
    --report=*) report=${arg#--report=} ;;
    *) echo "unknown option $arg (see the head of $0)" >&2; exit 2 ;;
  esac
done
# join_limit: seconds a room's members may take to join before the run goes on and counts the missing.
# warmup: seconds of unmeasured steady traffic first (fresh processes' JIT tier-up, the join storm's tail).
if [ "$mode" = quick ]; then idle=2000; room=1000; burst=50; rate=20; secs=5; warmup=2; big=2000; join=1000; join_limit=120
  many_nodes=2; many_procs=2; many_each=1000; many_rate=20; many_hold=2
else idle=10000; room=5000; burst=200; rate=20; secs=10; warmup=5; big=10000; join=5000; join_limit=600
  many_nodes=6; many_procs=6; many_each=16667; many_rate=50; many_hold=5; fi
if [ -n "$room_size" ]; then room=$room_size; big=$((2 * room_size)); join=$room_size; fi
if [ -z "$report" ]; then
  if $only_cluster; then report=${TMPDIR:-/tmp}/wschat-bench-cluster.md; else report=docs/benchmarks.md; fi
fi

for project in bench/Wschat.LoadGen bench/Wschat.MicroBench bench/peers/MinimalSignalR bench/peers/RawKestrel src/Wschat.Hub; do
  dotnet build -c Release -v q --nologo "$project" >&2
done
$only_cluster || npm ci --prefix bench/peers/node --no-audit --no-fund --loglevel=error >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

results=$(mktemp)
loadgen=bench/Wschat.LoadGen/bin/Release/net10.0/Wschat.LoadGen.dll
server_pid=""
redis_pid=""
cluster=()

# Whatever stops the script (an error, Ctrl-C) stops the servers it started.
cleanup() {
  stop_cluster
  stop_server
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; redis_pid=""; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

# A random port below the ephemeral range (32768+, where the generator's own client sockets live) that nothing listens on.
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

start_server() { # port, command...
  local port=$1; shift
  "$@" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server on $port did not start: $*" >&2; kill "$server_pid" 2>/dev/null || true; return 1
}

stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}

generate() { # label kind tag ports pids scenario connections messages rate seconds [options...]
  local label=$1 kind=$2 tag=$3 ports=$4 pids=$5 scenario=$6; shift 6
  echo "== $label ($kind) $scenario${tag:+ [$tag]}" >&2
  dotnet "$loadgen" "$kind" "$ports" "$scenario" "$1" "$2" "$3" "$4" "$pids" "$label" --tag="$tag" --warmup="$warmup" "${@:5}" \
    | grep '^RESULT ' >> "$results" || echo "   failed" >&2
}

args_for() { # scenario: sets args to the generator's connections, messages, rate, seconds
  case "$1" in
    idle) args=("$idle" 0 0 0) ;;
    burst) args=("$room" "$burst" 0 0) ;;
    steady) args=("$room" 0 "$rate" "$secs") ;;
    big) args=("$big" 0 "$rate" "$secs") ;;
  esac
}

measure_on() { # label, kind, tag, scenarios, command...
  local label=$1 kind=$2 tag=$3 scenarios=$4; shift 4
  local port; port=$(free_port)
  local command=("${@//PORT/$port}")
  for scenario in $scenarios; do
    start_server "$port" "${command[@]}" || continue
    args_for "$scenario"
    generate "$label" "$kind" "$tag" "$port" "$server_pid" "$scenario" "${args[@]}"
    stop_server
  done
}

measure() { # label, kind, command...
  if $only_cluster; then measure_on "$1" "$2" "" "burst steady" "${@:3}"; else measure_on "$1" "$2" "" "idle burst steady" "${@:3}"; fi
}

# The big room's rows are tagged room10k (one node) and cluster10k (2 nodes); its repeats add "-againN"
# (rows of one label, kind, scenario and tag are merged as one scenario's generator processes).
big_again=""

# One big room at a steady rate. Joining N members costs the hub O(N^2) joinroom deliveries, so the joins get minutes.
measure_big_room() { # label, kind, command...
  local label=$1 kind=$2; shift 2
  local port; port=$(free_port)
  local command=("${@//PORT/$port}")
  start_server "$port" "${command[@]}" || return 0
  generate "$label" "$kind" "room10k$big_again" "$port" "$server_pid" steady "$big" 0 "$rate" "$secs" --join-seconds=900 --timeout=1500
  stop_server
}

# One Redis on a free loopback port for every cluster scenario, flushed before each.
start_redis() {
  redis_port=$(free_port)
  start_server "$redis_port" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no || return 1
  redis_pid=$server_pid; server_pid=""
}

flush_redis() {
  local reply
  reply=$( { exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'FLUSHALL\r\n' >&3 && read -r -t 10 line <&3 && echo "$line"; } 2>/dev/null ) || true
  [ "${reply%$'\r'}" = "+OK" ] || echo "   Redis FLUSHALL answered '${reply}'" >&2
}

# n nodes of one server on the Redis (PORT and REDIS in the command are filled in); sets cluster_ports and cluster_pids (comma lists).
start_cluster() { # nodes, command...
  local nodes=$1; shift
  cluster=(); cluster_ports=""; cluster_pids=""
  for _ in $(seq 1 "$nodes"); do
    local port; port=$(free_port)
    local command=("${@//PORT/$port}")
    start_server "$port" "${command[@]//REDIS/127.0.0.1:$redis_port}" || { stop_cluster; return 1; }
    cluster+=("$server_pid"); server_pid=""
    cluster_ports+="${cluster_ports:+,}$port"; cluster_pids+="${cluster_pids:+,}${cluster[-1]}"
  done
}

stop_cluster() {
  for pid in "${cluster[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${cluster[@]}"; do wait "$pid" 2>/dev/null || true; done
  cluster=()
}

# Room scenarios on 2 nodes, each on fresh nodes and a flushed Redis; "big" is the big room at the steady rate.
measure_cluster() { # label, kind, scenarios, command (PORT, REDIS)...
  local label=$1 kind=$2 scenarios=$3; shift 3
  for scenario in $scenarios; do
    flush_redis
    start_cluster 2 "$@" || continue
    args_for "$scenario"
    if [ "$scenario" = big ]; then
      generate "$label, 2 nodes" "$kind" "cluster10k$big_again" "$cluster_ports" "$cluster_pids" steady "${args[@]}" --join-seconds=900 --timeout=1500
    else
      generate "$label, 2 nodes" "$kind" cluster "$cluster_ports" "$cluster_pids" "$scenario" "${args[@]}" --join-seconds="$join_limit" --timeout=1200
    fi
    stop_cluster
  done
}

# SignalR JSON clients connect and join one room on one node, without and with Redis configured (a cluster node alone).
measure_joins() {
  local scenario
  for label in "wschat hub" "wschat hub, Redis configured"; do
    flush_redis
    local port; port=$(free_port)
    local command=("${hub[@]//PORT/$port}")
    if [ "$label" != "wschat hub" ]; then command+=("--Wschat:Redis=127.0.0.1:$redis_port"); fi
    start_server "$port" "${command[@]}" || continue
    generate "$label" signalr-json join "$port" "$server_pid" join "$join" 0 0 0 --join-seconds=300 --timeout=600
    stop_server
  done
}

# Many connections: several nodes on one Redis, several generator processes lined up by a file barrier,
# mixed raw/SignalR JSON members in rooms of 100, held, then danmu into every room. Skipped when memory is short.
measure_many() {
  # About 40 KB a connection on the nodes and 15 KB in the generators, plus each process's own baseline.
  local total=$(( many_procs * many_each ))
  local needed_mb=$(( total * 55 / 1024 + many_nodes * 150 + many_procs * 100 ))
  local available_mb=$(( $(awk '/MemAvailable/ {print $2}' /proc/meminfo) / 1024 ))
  if [ "$available_mb" -lt "$needed_mb" ]; then
    echo "== many connections skipped: ${available_mb} MB available, about ${needed_mb} MB needed" >&2; return 0
  fi
  flush_redis
  start_cluster "$many_nodes" "${hub_redis[@]}" || return 0
  local barrier; barrier=$(mktemp -d)
  echo "== wschat hub, $many_nodes nodes: $total connections from $many_procs generator processes" >&2
  local generators=()
  for _ in $(seq 1 "$many_procs"); do
    dotnet "$loadgen" mixed "$cluster_ports" steady "$many_each" 0 "$many_rate" "$secs" "$cluster_pids" \
      "wschat hub, $many_nodes nodes" --tag=many --room-size=100 --barrier="$barrier,$many_procs" --hold="$many_hold" \
      --join-seconds=900 --timeout=1500 | grep '^RESULT ' >> "$results" &
    generators+=($!)
  done
  for pid in "${generators[@]}"; do wait "$pid" || echo "   a generator failed" >&2; done
  rm -rf "$barrier"
  stop_cluster
}

hub=(dotnet src/Wschat.Hub/bin/Release/net10.0/Wschat.Hub.dll --urls http://127.0.0.1:PORT --Logging:LogLevel:Default=Warning
     --Wschat:Limits:MessageBurst=1000000 --Wschat:Limits:MessagesPerSecond=1000000 --Wschat:Limits:MaxConnections=0
     --Wschat:Limits:ConnectionsPerSecondPerIp=0)
minimal=(dotnet bench/peers/MinimalSignalR/bin/Release/net10.0/MinimalSignalR.dll --urls http://127.0.0.1:PORT)
hub_redis=("${hub[@]}" --Wschat:Redis=REDIS)
minimal_redis=("${minimal[@]}" --redis=REDIS)
kestrel=(dotnet bench/peers/RawKestrel/bin/Release/net10.0/RawKestrel.dll --urls http://127.0.0.1:PORT)

measure "wschat hub" raw "${hub[@]}"
measure "wschat hub" signalr-json "${hub[@]}"
$only_cluster || measure "wschat hub" signalr-msgpack "${hub[@]}"
measure "minimal SignalR hub" signalr-json "${minimal[@]}"
if ! $only_cluster; then
  measure "minimal SignalR hub" signalr-msgpack "${minimal[@]}"
  measure "raw Kestrel broadcaster" kestrel "${kestrel[@]}"
  measure "Node ws" ws node bench/peers/node/ws-server.js PORT
  measure "Socket.IO" socketio node bench/peers/node/socketio-server.js PORT
fi

if [ "$mode" = full ]; then
  measure_big_room "wschat hub" raw "${hub[@]}"
  measure_big_room "wschat hub" signalr-json "${hub[@]}"
  measure_big_room "wschat hub" mixed "${hub[@]}"
  measure_big_room "minimal SignalR hub" signalr-json "${minimal[@]}"
  if ! $only_cluster; then
    measure_big_room "raw Kestrel broadcaster" kestrel "${kestrel[@]}"
    measure_big_room "Node ws" ws node bench/peers/node/ws-server.js PORT
    measure_big_room "Socket.IO" socketio node bench/peers/node/socketio-server.js PORT
  fi
fi

# The mixed room on one node (the generator's "mixed" kind alternates raw and SignalR JSON members).
measure_on "wschat hub" mixed mixed "burst steady" "${hub[@]}"

# The same rooms on 2 nodes on one Redis (the big room in full runs only), then the joins with and without Redis.
if ! command -v redis-server >/dev/null; then
  echo "== redis-server not found (Debian package redis-server): cluster scenarios skipped" >&2
elif ! start_redis; then
  echo "== redis-server did not start: cluster scenarios skipped" >&2
else
  room_scenarios="burst steady"; [ "$mode" = full ] && room_scenarios+=" big"
  for kind in raw signalr-json mixed; do measure_cluster "wschat hub" "$kind" "$room_scenarios" "${hub_redis[@]}"; done
  measure_cluster "minimal SignalR hub" signalr-json "$room_scenarios" "${minimal_redis[@]}"
  # The big mixed room's p99 on 2 nodes next to one node's is a tail measured on a full box (servers and generator
  # share the 2 cores): single pairs gave 0.7-1.4x on one day. Two more pairs, alternating; the target takes the median.
  if [ "$mode" = full ]; then
    for repeat in 1 2; do
      big_again=-again$repeat
      measure_big_room "wschat hub" mixed "${hub[@]}"
      measure_cluster "wschat hub" mixed big "${hub_redis[@]}"
    done
    big_again=""
  fi
  measure_joins
  if [ "$mode" = full ] && ! $only_cluster; then measure_many; fi
fi

mkdir -p "$(dirname "$report")"
dotnet "$loadgen" report "$results" "$mode" "bench/run.sh${*:+ $*}" > "$report"
if ls /usr/share/fonts/*/* >/dev/null 2>&1; then
  dotnet "$loadgen" charts "$results" "$(dirname "$report")/benchmarks"
else
  echo "no font under /usr/share/fonts (Debian: fonts-dejavu-core): charts skipped" >&2
fi
cp "$results" "${TMPDIR:-/tmp}/wschat-bench-results.jsonl"
rm -f "$results"

# Micro-benchmarks of the hot paths (BenchmarkDotNet, short job): time and bytes allocated per call.
if ! $only_cluster; then
  artifacts=$(mktemp -d)
  dotnet run -c Release --project bench/Wschat.MicroBench -- --filter '*' --job short --exporters github --artifacts "$artifacts" >/dev/null
  {
    echo "## Micro-benchmarks (BenchmarkDotNet, short job)"
    echo
    for file in "$artifacts"/results/*-report-github.md; do
      sed -n '/^|/p' "$file"
      echo
    done
  } >> "$report"
  rm -rf "$artifacts"
fi
echo "wrote $report (results: ${TMPDIR:-/tmp}/wschat-bench-results.jsonl)" >&2
