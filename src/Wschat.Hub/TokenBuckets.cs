using System.Threading.RateLimiting;

namespace Wschat.Hub;

internal static class TokenBuckets
{
    /// <summary>
    /// A bucket of <paramref name="burst"/> tokens refilled with <paramref name="perSecond"/> each second
    /// by the shared replenishing timer; what finds it empty is refused at once, never queued.
    /// </summary>
    public static TokenBucketRateLimiterOptions Of(int burst, int perSecond) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
