using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Hub.Diagnostics;
using Wschat.RawAdapter.Diagnostics;

namespace Wschat.Tests.Infrastructure;

/// <summary>Instruments for parts the tests build by hand, on a meter factory of their own (no node exports it).</summary>
internal static class TestMetrics
{
    private static readonly IMeterFactory s_meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static WschatMetrics Wschat { get; } = new(s_meters);

    public static OutboundMetrics Outbound { get; } = new(s_meters);
}
