using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hubs;

/// <summary>Message rates, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Messages a connection may send in a burst (token bucket size).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MessageBurst must be at least 1.")]
    public int MessageBurst { get; set; } = 30;

    /// <summary>Messages per second a connection may sustain (token bucket refill).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MessagesPerSecond must be at least 1.")]
    public int MessagesPerSecond { get; set; } = 10;

    /// <summary>Messages per second from one client IP, all its connections together. 0: no per-IP limit (viewers often share a NAT address).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:MessagesPerSecondPerIp must be at least 0 (0: no per-IP limit).")]
    public int MessagesPerSecondPerIp { get; set; }
}
