using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Wschat.Contracts;
using Wschat.Hub.Rooms;
using Wschat.Outbound;

namespace Wschat.MicroBench;

/// <summary>
/// One danmu broadcast to a room of raw members, as every node fans a room message out: serialized
/// and framed once, one queue append per member, alone and as a batch of ten; then the pump's round
/// writes every member's queue (to a null socket), as it would within the next millisecond. Bytes
/// allocated per broadcast must not grow with the member count.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private readonly DanmuMessage _danmu = new() { Text = "测试发送弹幕 danmu 😀", Uid = "1412956275600", Avatar = "", Username = "用户61396" };
    private LocalConnection[] _members = [];
    private OutboundPump _pump = null!;

    [Params(100, 1000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var protocol = BenchProtocol.Create();
        _pump = new OutboundPump();
        var queues = new OutboundQueues(new OutboundPumps(_pump), new OutboundOptions { MaxQueuedBytes = int.MaxValue }, new NoMetrics(), NullLogger<OutboundQueues>.Instance);
        _members = [.. Enumerable.Range(0, Members).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(id =>
            new LocalConnection(id, protocol, queues.Create(new DefaultConnectionContext(id), Stream.Null, static () => { })))];
    }

    [Benchmark]
    public void Broadcast()
    {
        RoomFanOut.Deliver(_members, [Publication(1)]);
        _pump.Execute();
    }

    [Benchmark]
    public void BroadcastBatchOfTen()
    {
        var batch = new RoomPublication[10];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = Publication(i + 1);
        }

        RoomFanOut.Deliver(_members, batch);
        _pump.Execute();
    }

    private RoomPublication Publication(long offset) =>
        new(new RoomPosition("bench", offset), new RoomMessage(new SerializedHubMessage(new InvocationMessage("danmu", [_danmu]))));

    private sealed class NoMetrics : IOutboundMetrics
    {
        public void SlowConsumerDropped(IFeatureCollection connection)
        {
        }
    }
}
