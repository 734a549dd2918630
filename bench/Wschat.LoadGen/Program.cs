// Load generator: loadgen <kind> <port> <scenario> <connections> <messages> <rate> <seconds> <server-pid> <label>
// kind: raw | signalr-json | signalr-msgpack | kestrel | ws | socketio; scenario: idle | burst | steady.
// Loopback only, bounded in connections and time; prints one RESULT line of JSON.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Wschat.LoadGen;

if (args[0] == "report")
{
    Console.Write(Report.Write(args[1], args[2], args[3]));
    return 0;
}

var (kind, port, scenario) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
var (connections, messages, rate, seconds) = (Int(args[3]), Int(args[4]), Int(args[5]), Int(args[6]));
var (serverPid, label) = (Int(args[7]), args[8]);
var target = Target.For(kind);
var endPoint = new IPEndPoint(IPAddress.Loopback, port);
const string Room = "bench";
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));

var recorder = new LatencyRecorder(Math.Max(1, connections * Math.Max(messages, rate * seconds)));
var probed = new int[connections];
var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
var serverCpu = ProcStats.CpuSeconds(serverPid);
var rssBefore = ProcStats.RssKilobytes(serverPid);

var connectTimer = Stopwatch.StartNew();
var members = new LeanWebSocket[connections];
var receiving = new List<Task>(connections);
using (var gate = new SemaphoreSlim(64))
{
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
    {
        await gate.WaitAsync(stop.Token);
        try
        {
            members[i] = await LeanWebSocket.ConnectAsync(endPoint, target.Path, stop.Token);
            if (target.Handshake is { } handshake)
            {
                members[i].Send(handshake);
            }

            lock (receiving)
            {
                receiving.Add(members[i].ReceiveLoopAsync((socket, message) => OnMessage(i, socket, message), stop.Token));
            }

            if (scenario != "idle" && kind != "socketio")
            {
                members[i].Send(target.Join(Room), target.Binary);
            }
        }
        finally
        {
            gate.Release();
        }
    }));
}

var connectSeconds = connectTimer.Elapsed.TotalSeconds;
var result = new Dictionary<string, object?>
{
    ["label"] = label, ["kind"] = kind, ["scenario"] = scenario, ["connections"] = connections,
    ["connectPerSecond"] = Math.Round(connections / connectSeconds),
};

if (scenario == "idle")
{
    // Let the server settle after the connection storm before reading its memory.
    await Task.Delay(TimeSpan.FromSeconds(3));
    result["rssKbPerConnection"] = Math.Round((ProcStats.RssKilobytes(serverPid) - rssBefore) / (double)connections, 2);
}
else
{
    await AllJoinedAsync();
    serverCpu = ProcStats.CpuSeconds(serverPid);
    generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var expected = connections * (scenario == "burst" ? messages : rate * seconds);
    var clock = Stopwatch.StartNew();
    if (scenario == "burst")
    {
        for (var m = 0; m < messages; m++)
        {
            members[0].Send(Danmu(), target.Binary);
        }
    }
    else
    {
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate));
        for (var m = 0; m < rate * seconds && await pace.WaitForNextTickAsync(stop.Token); m++)
        {
            members[m % Math.Min(connections, 10)].Send(Danmu(), target.Binary);
        }
    }

    // Wait for the deliveries, bounded: a server that falls behind is reported as such.
    var deadline = clock.Elapsed + TimeSpan.FromSeconds(scenario == "burst" ? 60 : 10);
    while (recorder.Count < expected && clock.Elapsed < deadline)
    {
        await Task.Delay(5);
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var (p50, p99, max) = recorder.PercentilesMilliseconds();
    result["messages"] = scenario == "burst" ? messages : rate * seconds;
    result["expected"] = expected;
    result["delivered"] = recorder.Count;
    result["deliveriesPerSecond"] = Math.Round(recorder.Count / elapsed);
    result["p50Ms"] = Math.Round(p50, 1);
    result["p99Ms"] = Math.Round(p99, 1);
    result["maxMs"] = Math.Round(max, 1);
}

result["generatorCpuSeconds"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - generatorCpu).TotalSeconds, 2);
result["serverCpuSeconds"] = Math.Round(ProcStats.CpuSeconds(serverPid) - serverCpu, 2);
result["serverRssMb"] = Math.Round(ProcStats.RssKilobytes(serverPid) / 1024.0, 1);
Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));

await stop.CancelAsync();
foreach (var member in members)
{
    member?.Dispose();
}

await Task.WhenAll(receiving).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
return 0;

byte[] Danmu() => target.Danmu($"t={Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)};");

void OnMessage(int index, LeanWebSocket socket, ReadOnlyMemory<byte> message)
{
    if (target.Reply(message) is { } reply)
    {
        socket.Send(reply);
    }

    // Socket.IO refuses events until it has acknowledged the namespace connect ("40{...}").
    if (kind == "socketio" && message.Span.StartsWith("40"u8) && scenario != "idle")
    {
        socket.Send(target.Join(Room));
    }

    var span = message.Span;
    if (span.IndexOf("probe"u8) >= 0)
    {
        Volatile.Write(ref probed[index], 1);
    }

    recorder.Record(span);
}

// Every member must be in the room before timing starts: send probes until all have seen one.
async Task AllJoinedAsync()
{
    for (var attempt = 0; attempt < 60 && probed.Any(static p => p == 0); attempt++)
    {
        members[0].Send(target.Danmu("probe"), target.Binary);
        await Task.Delay(attempt < 5 ? 200 : 1000);
    }

    if (probed.Any(static p => p == 0))
    {
        throw new TimeoutException($"{probed.Count(static p => p == 0)} members never joined");
    }
}

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
