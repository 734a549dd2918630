namespace Wschat.RawAdapter.Outbound;

/// <summary>An outbox that an <see cref="OutboundPump"/> gives a turn once it has lined up.</summary>
internal interface IPumpedOutbox
{
    /// <summary>Writes everything queued so far; never blocks the pump on a slow socket.</summary>
    void Send();
}
