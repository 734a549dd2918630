using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Transport;

namespace Wschat.MicroBench;

/// <summary>
/// One danmu broadcast to a room of raw members, as the one-node fan-out does it: serialized and
/// framed once, then appended to every member's outbound queue (the pump writes them out to a null
/// socket). Bytes allocated per broadcast must not grow with the member count.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private readonly WschatHubProtocol _protocol = BenchProtocol.Create();

    private readonly DanmuMessage _danmu = new() { Text = "测试发送弹幕 danmu 😀", Uid = "1412956275600", Avatar = "", Username = "用户61396" };
    private OutboundQueue[] _members = [];

    [Params(100, 1000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pump = new OutboundPump();
        _members = [.. Enumerable.Range(0, Members).Select(_ => new OutboundQueue(Stream.Null, pump, int.MaxValue, static _ => { }))];
    }

    [Benchmark]
    public int Broadcast()
    {
        var message = new SerializedHubMessage(new InvocationMessage("danmu", [_danmu]));
        var frame = message.GetSerializedMessage(_protocol);
        foreach (var member in _members)
        {
            member.TryEnqueue(frame);
        }

        return frame.Length;
    }
}
