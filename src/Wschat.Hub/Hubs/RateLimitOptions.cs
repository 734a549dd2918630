using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hubs;

/// <summary>Message rates per connection, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Messages a connection may send in a burst (token bucket size).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MessageBurst must be at least 1.")]
    public int MessageBurst { get; set; } = 30;

    /// <summary>Messages per second a connection may sustain (token bucket refill).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MessagesPerSecond must be at least 1.")]
    public int MessagesPerSecond { get; set; } = 10;

    /// <summary>Joins, room switches, logins and logouts a connection may make in a burst (each sends an event to the whole room).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:JoinBurst must be at least 1.")]
    public int JoinBurst { get; set; } = 5;

    /// <summary>Joins, room switches, logins and logouts per second a connection may sustain: more than a person switching rooms makes.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:JoinsPerSecond must be at least 1.")]
    public int JoinsPerSecond { get; set; } = 1;

    /// <summary>Messages per second from one client IP, all its connections together. 0: no per-IP limit (viewers often share a NAT address).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:MessagesPerSecondPerIp must be at least 0 (0: no per-IP limit).")]
    public int MessagesPerSecondPerIp { get; set; }
}
