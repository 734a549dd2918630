using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace Wschat.Outbound;

/// <summary>
/// Writes a batch through a SignalR connection (WebSockets, Server-Sent Events, long polling), message
/// after message, back to back, so its transport sends them together. A write that waits (the
/// transport's buffer is full) continues on its own.
/// </summary>
internal sealed class HubConnectionOutboundWriter(HubConnectionContext connection) : IOutboundWriter
{
    public ValueTask WriteAsync(ReadOnlyMemory<OutboundEntry> batch, int bytes) => WriteFrom(batch, 0);

    public void Abort()
    {
        connection.Abort();

        // The transport too: SignalR writes a close message before it ends the hub's side, and against a client
        // that reads nothing that write waits until the transport gives up (10-16 s), the room counting it meanwhile.
        connection.Features.Get<IConnectionLifetimeFeature>()?.Abort();
    }

    private ValueTask WriteFrom(ReadOnlyMemory<OutboundEntry> batch, int start)
    {
        var entries = batch.Span;
        for (var i = start; i < entries.Length; i++)
        {
            var write = connection.WriteAsync(entries[i].Message!);
            if (!write.IsCompletedSuccessfully)
            {
                return ContinueAfterAsync(write, batch, i + 1);
            }

            write.GetAwaiter().GetResult();
        }

        return default;
    }

    private async ValueTask ContinueAfterAsync(ValueTask write, ReadOnlyMemory<OutboundEntry> batch, int next)
    {
        await write;
        await WriteFrom(batch, next);
    }
}
