using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;

namespace Wschat.MicroBench;

/// <summary>The wschat protocol with the server's payload settings.</summary>
internal static class BenchProtocol
{
    public static WschatHubProtocol Create() => new(Options.Create(new WschatProtocolOptions
    {
        PayloadSerializerOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance),
    }));
}
