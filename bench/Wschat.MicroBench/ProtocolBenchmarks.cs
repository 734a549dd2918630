using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;

namespace Wschat.MicroBench;

/// <summary>The wschat protocol per message: parse an inbound danmu, write an outbound one.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private readonly WschatHubProtocol _protocol = BenchProtocol.Create();

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly InvocationMessage _danmu = new("danmu", [new DanmuMessage { Text = "测试发送弹幕 danmu 😀", Uid = "1412956275600", Avatar = "", Username = "用户61396" }]);
    private byte[] _record = [];

    [GlobalSetup]
    public void Setup()
    {
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"danmu\",\"text\":\"测试发送弹幕 danmu 😀\"}");
        _record = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(_record.AsSpan(1), payload.Length);
        payload.CopyTo(_record, 5);
    }

    [Benchmark]
    public HubMessage? Parse()
    {
        var input = new ReadOnlySequence<byte>(_record);
        _protocol.TryParseMessage(ref input, DanmuBinder.Instance, out var message);
        return message;
    }

    [Benchmark]
    public int Write()
    {
        _output.ResetWrittenCount();
        _protocol.WriteMessage(_danmu, _output);
        return _output.WrittenCount;
    }

    private sealed class DanmuBinder : IInvocationBinder
    {
        public static readonly DanmuBinder Instance = new();

        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(TextRequest)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
