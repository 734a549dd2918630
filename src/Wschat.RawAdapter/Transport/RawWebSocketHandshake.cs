using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// Accepts an HTTP/1.1 WebSocket upgrade over a <see cref="BatchingStream"/>, so the send loop can
/// put a socket's queued frames on the wire with one flush. Other requests (HTTP/2 WebSockets) take
/// the framework's accept and a flush per frame.
/// </summary>
internal static class RawWebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, BatchingStream? Stream)> AcceptAsync(HttpContext context, WebSocketOptions options)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        string? key = context.Request.Headers.SecWebSocketKey;
        if (upgrade is not { IsUpgradableRequest: true } || !IsValidKey(key) || context.Request.Headers.SecWebSocketVersion != "13")
        {
            return (await context.WebSockets.AcceptWebSocketAsync(), null);
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = Accept(key!);
        var stream = new BatchingStream(await upgrade.UpgradeAsync());
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        return (socket, stream);
    }

    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }

#pragma warning disable CA5350 // RFC 6455 prescribes SHA-1 for the accept key; it protects nothing.
    private static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
}
