using Microsoft.AspNetCore.SignalR;

namespace Wschat.RawAdapter.Outbound;

/// <summary>
/// The bounded outbound queue of a SignalR connection (WebSockets, Server-Sent Events, long
/// polling). Broadcasts append by reference and return; the pump later writes everything queued
/// through the connection, back to back, so the transport sends them together. A write that waits
/// (the transport's buffer is full) holds up this connection only; the bytes that pile up behind it
/// count against the limit, past which the connection is aborted.
/// </summary>
internal sealed class HubConnectionOutbox : IConnectionOutbox, IPumpedOutbox
{
    private const int InitialSlots = 4;

    private readonly Lock _lock = new();
    private readonly HubConnectionContext _connection;
    private readonly OutboundPump _pump;
    private readonly int _limit;
    private readonly Action<HubConnectionContext> _overflowed;
    private Entry[]? _queued;
    private Entry[]? _spare;
    private int _count;

    // Queued plus being written: what the client has not taken yet.
    private int _bytes;
    private bool _scheduled;
    private bool _broken;

    public HubConnectionOutbox(HubConnectionContext connection, OutboundPump pump, int limit, Action<HubConnectionContext> overflowed)
    {
        _connection = connection;
        _pump = pump;
        _limit = limit;
        _overflowed = overflowed;
    }

    public bool TryEnqueue(SerializedHubMessage message, ReadOnlyMemory<byte> serialized)
    {
        bool schedule;
        bool overflowed;
        lock (_lock)
        {
            if (_broken)
            {
                return false;
            }

            overflowed = _bytes + serialized.Length > _limit;
            if (overflowed)
            {
                _broken = true;
                ClearLocked(_queued, _count);
                _count = 0;
            }
            else
            {
                AddLocked(new Entry(message, serialized.Length));
            }

            schedule = !overflowed && !_scheduled;
            _scheduled |= schedule;
        }

        if (overflowed)
        {
            _overflowed(_connection);
            return false;
        }

        if (schedule)
        {
            _pump.Schedule(this);
        }

        return true;
    }

    public void Send()
    {
        Entry[]? batch;
        int count;
        lock (_lock)
        {
            (batch, count) = (_queued, _count);
            (_queued, _spare, _count) = (_spare, null, 0);
        }

        WriteFrom(batch, 0, count, 0);
    }

    /// <summary>Writes entries in order; the first write that has to wait continues on its own.</summary>
    private void WriteFrom(Entry[]? batch, int start, int count, int written)
    {
        for (var i = start; i < count; i++)
        {
            var write = _connection.WriteAsync(batch![i].Message);
            written += batch[i].Length;
            if (!write.IsCompletedSuccessfully)
            {
                _ = ContinueAfterAsync(write, batch, i + 1, count, written);
                return;
            }
        }

        Written(batch, count, written);
    }

    private async Task ContinueAfterAsync(ValueTask write, Entry[] batch, int next, int count, int written)
    {
        try
        {
            await write;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            // The connection is going away; its remaining writes complete at once.
        }

        WriteFrom(batch, next, count, written);
    }

    private void Written(Entry[]? batch, int count, int written)
    {
        bool again;
        lock (_lock)
        {
            _bytes -= written;
            ClearLocked(batch, count);
            if (batch is not null && _spare is null && batch.Length <= 64)
            {
                _spare = batch;
            }

            again = _count > 0 && !_broken;
            _scheduled = again;
        }

        if (again)
        {
            _pump.Schedule(this);
        }
    }

    private void AddLocked(Entry entry)
    {
        if (_queued is null)
        {
            _queued = _spare ?? new Entry[InitialSlots];
            _spare = null;
        }
        else if (_count == _queued.Length)
        {
            Array.Resize(ref _queued, _count * 2);
        }

        _queued[_count++] = entry;
        _bytes += entry.Length;
    }

    // Drops the references, so sent broadcasts can be collected.
    private static void ClearLocked(Entry[]? entries, int count)
    {
        if (entries is not null)
        {
            Array.Clear(entries, 0, count);
        }
    }

    private readonly record struct Entry(SerializedHubMessage Message, int Length);
}
