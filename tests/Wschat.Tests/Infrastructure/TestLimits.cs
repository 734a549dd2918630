namespace Wschat.Tests.Infrastructure;

/// <summary>Settings every test node starts with, before the test's own (which win).</summary>
internal static class TestLimits
{
    /// <summary>
    /// Every test client connects from 127.0.0.1, hundreds in a test: the per-address connection rate
    /// is lifted. The tests of that limit set their own.
    /// </summary>
    public static readonly string[] Settings =
    [
        "Wschat:Limits:ConnectionBurstPerIp=1000000",
        "Wschat:Limits:ConnectionsPerSecondPerIp=1000000",
    ];
}
