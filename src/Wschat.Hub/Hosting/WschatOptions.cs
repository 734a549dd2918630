namespace Wschat.Hub.Hosting;

/// <summary>The <c>Wschat</c> configuration section (appsettings, <c>Wschat__*</c> environment variables).</summary>
public sealed class WschatOptions
{
    public const string SectionName = "Wschat";

    /// <summary>Server name and version sent in the <c>hello</c> reply.</summary>
    public string ServerName { get; set; } = "Wschat Hub/" + ThisAssembly.Version;

    /// <summary>Tokens that make a connection an admin (may run setbadwords). Empty: nobody is.</summary>
    public IReadOnlyList<string> AdminTokens { get; set; } = [];

    /// <summary>Proxies (IP addresses) whose <c>X-Forwarded-For</c> is believed. Empty: none is.</summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c> is believed.</summary>
    public IReadOnlyList<string> TrustedNetworks { get; set; } = [];

    /// <summary>Most logged-in users one <c>userlist</c> reply lists; <c>count</c> stays the total.</summary>
    public int UserListLimit { get; set; } = 500;

    /// <summary>
    /// StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>). Set: the node joins the
    /// cluster on that Redis. Unset: a single node with in-memory state.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key and channel, so several clusters can share one Redis.</summary>
    public string RedisPrefix { get; set; } = "wschat";

    /// <summary>Seconds a node's presence outlives its last heartbeat; a crashed node's users vanish after it.</summary>
    public int PresenceLeaseSeconds { get; set; } = 15;

    public WschatLimitsOptions Limits { get; set; } = new();
}

/// <summary>The <c>Wschat:Limits</c> section: message size, rates, lengths, origins and connections.</summary>
public sealed class WschatLimitsOptions
{
    /// <summary>Largest message accepted, in bytes, on both endpoints.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Bytes that may wait for one raw client that reads too slowly; past it the socket is closed.</summary>
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;

    /// <summary>Most characters in danmu, text or sendto text.</summary>
    public int MaxTextLength { get; set; } = 1000;

    /// <summary>Most characters in a room name.</summary>
    public int MaxRoomNameLength { get; set; } = 128;

    /// <summary>Most characters in each login field.</summary>
    public int MaxLoginFieldLength { get; set; } = 512;

    /// <summary>Most addressees in one sendto.</summary>
    public int MaxSendToAddressees { get; set; } = 100;

    /// <summary>Messages a connection may send in a burst (token bucket size).</summary>
    public int MessageBurst { get; set; } = 30;

    /// <summary>Messages per second a connection may sustain (token bucket refill).</summary>
    public int MessagesPerSecond { get; set; } = 10;

    /// <summary>Messages per second from one client IP, all its connections together. 0: no per-IP limit (viewers often share a NAT address).</summary>
    public int MessagesPerSecondPerIp { get; set; }

    /// <summary>Most concurrent WebSocket connections on this node, both endpoints together. 0: unlimited.</summary>
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>Origins allowed to open WebSockets (e.g. <c>https://player.example.com</c>). Empty: any origin.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];
}
