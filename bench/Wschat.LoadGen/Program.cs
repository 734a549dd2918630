// Load generator: loadgen <kind> <ports> <scenario> <connections> <messages> <rate> <seconds> <server-pids> <label> [--name=value ...]
// kind: raw | signalr-json | signalr-msgpack | mixed | kestrel | ws | socketio; scenario: idle | burst | steady | join
// (join: connect and join the rooms, timed, no danmu).
// ports and server-pids: one value, or comma-separated lists for a cluster; options in RunOptions.
// Loopback only, bounded in connections and time; prints one RESULT line of JSON.
// loadgen report <results-file> <mode> <command>: markdown; loadgen charts <results-file> <folder>: PNG charts.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Wschat.LoadGen;

switch (args[0])
{
    case "report":
        Console.Write(Report.Write(args[1], args[2], args[3]));
        return 0;
    case "charts":
        Charts.Write(ResultRows.Load(args[1]), args[2]);
        return 0;
}

var options = RunOptions.Parse(args);
var (kind, scenario, connections) = (options.Kind, options.Scenario, options.Connections);
var targets = Target.Cycle(kind);
var servers = new ServerProcesses(options.ServerPids);
var rooms = new RoomLayout(connections, options.RoomSize);
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));

// Burst: every room gets the messages from its first member; steady: the rate is shared by the rooms in turn.
var sends = scenario switch { "burst" => options.Messages * rooms.Count, "steady" => options.Rate * options.Seconds, _ => 0 };
var expected = scenario == "burst" ? (long)connections * options.Messages
    : Enumerable.Range(0, sends).Sum(m => (long)rooms.Size(m % rooms.Count));
var recorder = new LatencyRecorder((int)Math.Clamp(expected, 1, 50_000_000));
var probed = new int[connections];
var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
var serverCpu = servers.CpuSeconds();
var rssBefore = servers.RssKilobytes();

var connectTimer = Stopwatch.StartNew();
var members = new LeanWebSocket[connections];
var keepingAlive = KeepAliveAsync();
var dropped = 0;
var connectRetries = 0;
var handshakeErrors = 0;
var handshaken = new bool[connections];
var gone = new bool[connections]; // closed by the server: its receive loop ended, or a send found the socket closed
var joinRetries = 0;
var receiving = new List<Task>(connections);
using (var gate = new SemaphoreSlim(64))
{
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
    {
        await gate.WaitAsync(stop.Token);
        try
        {
            var target = TargetOf(i);
            members[i] = await ConnectAsync(i, target);
            if (target.Handshake is { } handshake)
            {
                Transmit(i, handshake, binary: false);
            }

            lock (receiving)
            {
                receiving.Add(ReceiveAsync(i));
            }

            if (scenario != "idle" && kind != "socketio")
            {
                Join(i);
            }
        }
        finally
        {
            gate.Release();
        }
    }));
}

var result = new Dictionary<string, object?>
{
    ["label"] = options.Label, ["kind"] = kind, ["scenario"] = scenario, ["tag"] = options.Tag,
    ["connections"] = connections, ["nodes"] = options.EndPoints.Count, ["rooms"] = rooms.Count, ["roomSize"] = rooms.Size(0),
    ["serverRssBeforeMb"] = Math.Round(rssBefore / 1024.0, 1),
    ["connectSeconds"] = Math.Round(connectTimer.Elapsed.TotalSeconds, 1),
    ["connectPerSecond"] = Math.Round(connections / connectTimer.Elapsed.TotalSeconds),
};

if (scenario == "idle")
{
    await HoldAsync();

    // Let the servers settle after the connection storm before reading their memory.
    await Task.Delay(TimeSpan.FromSeconds(3));
    result["rssKbPerConnection"] = Math.Round((servers.RssKilobytes() - rssBefore) / (double)connections, 2);
}
else
{
    var joinTimer = Stopwatch.StartNew();
    var notJoined = await AllJoinedAsync();
    result["joinSeconds"] = Math.Round(joinTimer.Elapsed.TotalSeconds, 1);
    result["joinedSeconds"] = Math.Round(connectTimer.Elapsed.TotalSeconds, 1);
    result["notJoined"] = notJoined;
    var settleTimer = Stopwatch.StartNew();
    await SettleAsync();
    result["settleSeconds"] = Math.Round(settleTimer.Elapsed.TotalSeconds, 1);
    await HoldAsync();
}

if (scenario == "steady" && options.WarmupSeconds > 0)
{
    // Untimed danmu (no t= marker): the recorder skips them. Then a pause for the last to arrive.
    await SendPacedAsync(options.WarmupSeconds * options.Rate, timed: false);
    await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
}

if (scenario is "burst" or "steady")
{
    serverCpu = servers.CpuSeconds();
    generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    if (scenario == "burst")
    {
        for (var m = 0; m < sends; m++)
        {
            SendDanmu(rooms.First(m % rooms.Count));
        }
    }
    else
    {
        await SendPacedAsync(sends, timed: true);
    }

    // Wait for the deliveries, bounded: a server that falls behind is reported as such.
    var deadline = clock.Elapsed + TimeSpan.FromSeconds(scenario == "burst" ? 60 : 10);
    while (recorder.Count < expected && clock.Elapsed < deadline)
    {
        await Task.Delay(5);
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var (p50, p99, max) = recorder.PercentilesMilliseconds();
    result["messages"] = sends;
    result["expected"] = expected;
    result["delivered"] = recorder.Count;
    result["deliveriesPerSecond"] = Math.Round(recorder.Count / elapsed);
    result["p50Ms"] = Milliseconds(p50);
    result["p99Ms"] = Milliseconds(p99);
    result["maxMs"] = Milliseconds(max);
}

result["droppedByServer"] = Volatile.Read(ref dropped);
result["connectRetries"] = connectRetries;
result["handshakeErrors"] = Volatile.Read(ref handshakeErrors);
result["joinRetries"] = joinRetries;
result["generatorCpuSeconds"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - generatorCpu).TotalSeconds, 2);
result["serverCpuSeconds"] = Math.Round(servers.CpuSeconds() - serverCpu, 2);
result["serverRssMb"] = Math.Round(servers.RssKilobytes() / 1024.0, 1);
Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));

await stop.CancelAsync();
foreach (var member in members)
{
    member?.Dispose();
}

await keepingAlive;
await Task.WhenAll(receiving).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
return 0;

// Members take ports in turn, and targets in turn over each round of ports, so every node gets every protocol.
Target TargetOf(int member) => targets[member / options.EndPoints.Count % targets.Count];

void SendDanmu(int member, bool timed = true) =>
    Send(Gone(member) ? Live(rooms.RoomOf(member)) : member, timed ? $"t={Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)};" : "warm-up");

// Danmu at the steady rate, the rooms taking turns and each room's members taking turns to send.
async Task SendPacedAsync(int count, bool timed)
{
    using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.Rate));
    for (var m = 0; m < count && await pace.WaitForNextTickAsync(stop.Token); m++)
    {
        SendDanmu(rooms.Sender(m % rooms.Count, m / rooms.Count), timed);
    }
}

// No delivery at all has no percentiles: null in the JSON, a dash in the report.
static double? Milliseconds(double value) => double.IsNaN(value) ? null : Math.Round(value, 1);

void Join(int member) => Transmit(member, TargetOf(member).Join(RoomLayout.Name(rooms.RoomOf(member))), TargetOf(member).Binary);

void Send(int member, string text) => Transmit(member, TargetOf(member).Danmu(text), TargetOf(member).Binary);

// A member the server closed sends nothing more (its missing deliveries show in the result); the run goes on.
void Transmit(int member, byte[] payload, bool binary)
{
    try
    {
        members[member].Send(payload, binary);
    }
    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
    {
        Volatile.Write(ref gone[member], true);
    }
}

bool Gone(int member) => Volatile.Read(ref gone[member]);

// The first member of a room the server has not closed (a room's sender and prober).
int Live(int room) => Enumerable.Range(rooms.First(room), rooms.Size(room)).FirstOrDefault(i => !Gone(i), rooms.First(room));

void OnMessage(int index, LeanWebSocket socket, ReadOnlyMemory<byte> message)
{
    var target = TargetOf(index);
    if (target.Handshake is not null && !handshaken[index])
    {
        // A SignalR server answers the handshake first: {} to accept, {"error":...} to refuse.
        handshaken[index] = true;
        if (message.Span.StartsWith("{\"error\""u8))
        {
            Interlocked.Increment(ref handshakeErrors);
        }
    }

    if (target.Reply(message) is { } reply)
    {
        socket.Send(reply);
    }

    // Socket.IO refuses events until it has acknowledged the namespace connect ("40{...}").
    if (kind == "socketio" && message.Span.StartsWith("40"u8) && scenario != "idle")
    {
        socket.Send(target.Join(RoomLayout.Name(rooms.RoomOf(index))));
    }

    var span = message.Span;
    if (span.IndexOf("probe"u8) >= 0)
    {
        Interlocked.Increment(ref probed[index]);
    }

    recorder.Record(span);
}

// Every member must be in its room before timing starts: probe each room until all its members have seen one.
// Returns how many members had seen no probe when the join time ran out (they count as missing deliveries after).
async Task<int> AllJoinedAsync()
{
    var waiting = Enumerable.Range(0, rooms.Count).ToList();
    var timer = Stopwatch.StartNew();
    for (var attempt = 0; timer.Elapsed.TotalSeconds < options.JoinSeconds; attempt++)
    {
        waiting.RemoveAll(room => Enumerable.Range(rooms.First(room), rooms.Size(room)).All(i => Volatile.Read(ref probed[i]) > 0 || Gone(i)));
        if (waiting.Count == 0)
        {
            return 0;
        }

        if (attempt >= 10 && attempt % 5 == 0)
        {
            RejoinStragglers(waiting);
        }

        foreach (var room in waiting)
        {
            Send(Live(room), "probe");
        }

        await Task.Delay(attempt < 5 ? 200 : 1000, stop.Token);
    }

    var never = Enumerable.Range(0, connections).Count(i => Volatile.Read(ref probed[i]) == 0 && !Gone(i));
    await Console.Error.WriteLineAsync($"   {never} members never joined within {options.JoinSeconds} s ({joinRetries} joins sent again): measured as they are");
    return never;
}

// Every member has seen a probe, but the joinroom events of those who joined after that probe may still be on their
// way to it (N^2 events: seconds in a 5,000 room, longer in a cluster). Timed on top of that backlog, a burst measured
// the joins as much as itself. One more probe per room, seen by every member that joined, means the rooms are quiet.
async Task SettleAsync()
{
    var before = probed.ToArray();
    for (var room = 0; room < rooms.Count; room++)
    {
        Send(Live(room), "probe");
    }

    var timer = Stopwatch.StartNew();
    while (timer.Elapsed.TotalSeconds < options.JoinSeconds
        && !Enumerable.Range(0, connections).All(i => before[i] == 0 || Volatile.Read(ref probed[i]) > before[i] || Gone(i)))
    {
        await Task.Delay(50, stop.Token);
    }
}

// A server starved in a connection storm may reset a handshake, as it would a real client's, which tries again (bounded, counted).
async Task<LeanWebSocket> ConnectAsync(int member, Target target)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            return await LeanWebSocket.ConnectAsync(options.EndPoints[member % options.EndPoints.Count], target.Path, stop.Token);
        }
        catch (Exception ex) when (attempt < 3 && ex is System.Net.Sockets.SocketException or IOException)
        {
            Interlocked.Increment(ref connectRetries);
            await Task.Delay(TimeSpan.FromSeconds(attempt), stop.Token);
        }
    }
}

// A member whose connection ends before the run does was dropped by the server: counted, not fatal.
async Task ReceiveAsync(int member)
{
    await members[member].ReceiveLoopAsync((socket, message) => OnMessage(member, socket, message), stop.Token);
    if (!stop.IsCancellationRequested)
    {
        Interlocked.Increment(ref dropped);
        Volatile.Write(ref gone[member], true);
    }
}

// SignalR members ping every 10 s for the whole run (connecting and joining can take minutes).
async Task KeepAliveAsync()
{
    using var tick = new PeriodicTimer(TimeSpan.FromSeconds(10));
    try
    {
        while (await tick.WaitForNextTickAsync(stop.Token))
        {
            for (var i = 0; i < members.Length; i++)
            {
                if (Volatile.Read(ref members[i]) is { } member && TargetOf(i).KeepAlive is { } ping)
                {
                    try
                    {
                        member.Send(ping, TargetOf(i).Binary);
                    }
                    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
                    {
                        // Closed by the server: the deliveries it misses show in the result.
                    }
                }
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
}

// A member that has seen no probe while a neighbour has seen five (five seconds of deliveries) lost its
// join, as a busy cluster node sometimes does: it joins again, as a real client would (counted).
// A room whose sender saw nothing for long has its sender join again.
void RejoinStragglers(List<int> waiting)
{
    foreach (var room in waiting)
    {
        var inRoom = Enumerable.Range(rooms.First(room), rooms.Size(room)).ToList();
        var stragglers = inRoom.Max(i => Volatile.Read(ref probed[i])) >= 5
            ? inRoom.Where(i => Volatile.Read(ref probed[i]) == 0 && !Gone(i)).ToList()
            : [Live(room)];
        foreach (var member in stragglers)
        {
            Interlocked.Increment(ref joinRetries);
            Join(member);
        }
    }
}

// Several generators against one cluster: all hold their connections before anyone sends, then memory is read.
async Task HoldAsync()
{
    if (options.Barrier is var (folder, count))
    {
        await StartBarrier.ArriveAndWaitAsync(folder, count, stop.Token);
    }

    if (options.HoldSeconds > 0)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds), stop.Token);
        result["heldRssMb"] = Math.Round(servers.RssKilobytes() / 1024.0, 1);
    }
}
