namespace Wschat.Outbound;

/// <summary>
/// How an <see cref="OutboundQueue"/>'s batches go onto its connection's wire, one batch at a time, and
/// how the connection is cut when it can take no more.
/// </summary>
internal interface IOutboundWriter
{
    /// <summary>
    /// Writes <paramref name="batch"/> in order (<paramref name="bytes"/> in all) and completes once it is
    /// written. Never waits on the pump's thread: a write that has to wait completes later, holding up
    /// this connection only. The batch is the queue's again once this completes.
    /// </summary>
    ValueTask WriteAsync(ReadOnlyMemory<OutboundEntry> batch, int bytes);

    /// <summary>Ends the connection at once: a goodbye would only queue behind what its client does not read.</summary>
    void Abort();
}
