using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;

namespace Wschat.Tests.Protocol;

/// <summary>The wschat protocol with the app's payload settings, and inbound records as the transport frames them.</summary>
internal static class ProtocolHarness
{
    public static readonly WschatHubProtocol WschatProtocol = new(Options.Create(new WschatProtocolOptions
    {
        PayloadSerializerOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance),
    }));

    /// <summary>A stand-in for the hub's method table: the hub's own methods and parameter types.</summary>
    public static readonly IInvocationBinder Binder = new MethodTable(new(StringComparer.OrdinalIgnoreCase)
    {
        ["hello"] = [],
        ["join"] = [typeof(JoinRequest)],
        ["danmu"] = [typeof(TextRequest)],
        ["sendto"] = [typeof(SendToRequest)],
        ["setbadwords"] = [typeof(string)],
    });

    public static byte[] Record(WschatFrameKind kind, byte[] payload)
    {
        var record = new byte[WschatFrame.HeaderSize + payload.Length];
        WschatFrame.WriteHeader(record, kind, payload.Length);
        payload.CopyTo(record, WschatFrame.HeaderSize);
        return record;
    }

    public static byte[] Text(string frame) => Record(WschatFrameKind.Text, Encoding.UTF8.GetBytes(frame));

    public static string Write(Microsoft.AspNetCore.SignalR.Protocol.HubMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        WschatProtocol.WriteMessage(message, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private sealed class MethodTable(Dictionary<string, Type[]> methods) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methods.TryGetValue(methodName, out var types) ? types : throw new HubException("Method does not exist.");

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
