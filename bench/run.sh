#!/usr/bin/env bash
# Runs the benchmark side by side with the peers and writes docs/benchmarks.md.
#   bench/run.sh           full sizes (10k idle connections, 5,000-member rooms)
#   bench/run.sh --quick   small sizes, a few minutes
# Loopback only; every server and generator run is bounded in connections and time.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--quick" ]; then mode=quick; idle=2000; room=1000; burst=50; rate=20; secs=10;
else mode=full; idle=10000; room=5000; burst=200; rate=20; secs=10; fi

for project in bench/Wschat.LoadGen bench/Wschat.MicroBench bench/peers/MinimalSignalR bench/peers/RawKestrel src/Wschat.Hub; do
  dotnet build -c Release -v q --nologo "$project" >&2
done
npm ci --prefix bench/peers/node --no-audit --no-fund --loglevel=error >/dev/null
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

results=$(mktemp)
loadgen=bench/Wschat.LoadGen/bin/Release/net10.0/Wschat.LoadGen.dll
server_pid=""

start_server() { # port, command...
  local port=$1; shift
  "$@" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server on $port did not start: $*" >&2; return 1
}

stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }

measure() { # label, kind, command...
  local label=$1 kind=$2; shift 2
  # Below the ephemeral range (32768+), where the generator's own client sockets live.
  local port=$((10000 + RANDOM % 20000))
  local command=("${@//PORT/$port}")
  for scenario in idle burst steady; do
    start_server "$port" "${command[@]}" || continue
    local pid=$server_pid
    # Node and dotnet launchers may fork: measure the process that listens.
    case "$scenario" in
      idle) args=("$idle" 0 0 0) ;;
      burst) args=("$room" "$burst" 0 0) ;;
      steady) args=("$room" 0 "$rate" "$secs") ;;
    esac
    echo "== $label ($kind) $scenario" >&2
    dotnet "$loadgen" "$kind" "$port" "$scenario" "${args[@]}" "$pid" "$label" | grep '^RESULT ' >> "$results" || echo "   failed" >&2
    stop_server
  done
}

hub=(dotnet src/Wschat.Hub/bin/Release/net10.0/Wschat.Hub.dll --urls http://127.0.0.1:PORT --Logging:LogLevel:Default=Warning
     --Wschat:Limits:MessageBurst=1000000 --Wschat:Limits:MessagesPerSecond=1000000 --Wschat:Limits:MaxConnections=0)
minimal=(dotnet bench/peers/MinimalSignalR/bin/Release/net10.0/MinimalSignalR.dll --urls http://127.0.0.1:PORT)
kestrel=(dotnet bench/peers/RawKestrel/bin/Release/net10.0/RawKestrel.dll --urls http://127.0.0.1:PORT)

measure "wschat hub" raw "${hub[@]}"
measure "wschat hub" signalr-json "${hub[@]}"
measure "wschat hub" signalr-msgpack "${hub[@]}"
measure "minimal SignalR hub" signalr-json "${minimal[@]}"
measure "minimal SignalR hub" signalr-msgpack "${minimal[@]}"
measure "raw Kestrel broadcaster" kestrel "${kestrel[@]}"
measure "Node ws" ws node bench/peers/node/ws-server.js PORT
measure "Socket.IO" socketio node bench/peers/node/socketio-server.js PORT

dotnet "$loadgen" report "$results" "$mode" "bench/run.sh${1:+ $1}" > docs/benchmarks.md
rm -f "$results"

# Micro-benchmarks of the hot paths (BenchmarkDotNet, short job): time and bytes allocated per call.
artifacts=$(mktemp -d)
dotnet run -c Release --project bench/Wschat.MicroBench -- --filter '*' --job short --exporters github --artifacts "$artifacts" >/dev/null
{
  echo "## Micro-benchmarks (BenchmarkDotNet, short job)"
  echo
  for report in "$artifacts"/results/*-report-github.md; do
    sed -n '/^|/p' "$report"
    echo
  done
} >> docs/benchmarks.md
rm -rf "$artifacts"
echo "wrote docs/benchmarks.md" >&2
