using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// Accepts a WebSocket (an HTTP/1.1 upgrade or an HTTP/2 extended CONNECT) and keeps hold of its
/// stream: the send loop writes finished frames to it directly, the <see cref="WebSocket"/> over
/// it reads frames and answers pings.
/// </summary>
internal static class RawWebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const string SupportedVersion = "13";

    /// <summary>The accepted socket and its stream, or null for a request that is no valid WebSocket handshake.</summary>
    public static async Task<(WebSocket Socket, ExclusiveWriteStream Stream)?> AcceptAsync(HttpContext context, WebSocketOptions options)
    {
        if (context.Request.Headers.SecWebSocketVersion != SupportedVersion)
        {
            return null;
        }

        Stream opaque;
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            opaque = await connect.AcceptAsync();
        }
        else if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            && context.Request.Headers.SecWebSocketKey.ToString() is var key && IsValidKey(key))
        {
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers.SecWebSocketAccept = Accept(key);
            opaque = await upgrade.UpgradeAsync();
        }
        else
        {
            return null;
        }

        var stream = new ExclusiveWriteStream(opaque);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        return (socket, stream);
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }

#pragma warning disable CA5350 // RFC 6455 prescribes SHA-1 for the accept key; it protects nothing.
    private static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
}
