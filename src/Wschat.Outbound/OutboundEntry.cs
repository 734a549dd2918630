using Microsoft.AspNetCore.SignalR;

namespace Wschat.Outbound;

/// <summary>
/// One queued message: its bytes in the connection's protocol (shared, never copied per connection), and the
/// message they came from for a writer that hands messages to SignalR (null for frames a transport queued itself).
/// </summary>
internal readonly record struct OutboundEntry(SerializedHubMessage? Message, ReadOnlyMemory<byte> Bytes);
