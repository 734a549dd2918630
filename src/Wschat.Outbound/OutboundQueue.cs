using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace Wschat.Outbound;

/// <summary>
/// What waits for one connection, and its way onto the wire: the one queue of every transport.
/// Writers (the hub, on any thread) add finished messages by reference: a broadcast's bytes are
/// shared by every recipient, never copied per connection. When messages arrive the queue lines up
/// at its <see cref="OutboundPump"/>, which later hands everything queued by then to the
/// connection's <see cref="IOutboundWriter"/> at once: a busy room's messages coalesce. A client
/// that stops reading cannot make the queue grow without bound: past the limit the queue closes and
/// the connection is dropped, never waited for.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is the connection's outbound queue, the name the docs and issues use; no collection type is implied.")]
public sealed class OutboundQueue : IOutboundQueueFeature
{
    private const int InitialSlots = 4;

    // A batch that grew past this (a burst) gives its slots back once written, keeping idle connections small.
    private const int RetainedSlots = 64;

    private readonly Lock _lock = new();
    private readonly IOutboundWriter _writer;
    private readonly OutboundPump _pump;
    private readonly int _limit;
    private readonly OutboundQueues _owner;
    private readonly string _connectionId;
    private readonly IFeatureCollection _features;

    // Made once asked for: only a transport that closes its socket itself waits for the queue to drain.
    private TaskCompletionSource? _drained;

    // Waiting for the next write; the batch on the wire meanwhile is the writer's, its slots come back as the spare.
    private OutboundEntry[]? _queued;
    private OutboundEntry[]? _spare;
    private int _count;

    // Queued plus being written: what the client has not taken yet, held against the limit.
    private int _bytes;
    private bool _scheduled;
    private bool _closed;

    /// <param name="writer">How a batch goes onto the connection's wire, and how the connection is cut.</param>
    /// <param name="pump">Who hands it the batches, in turn with other connections.</param>
    /// <param name="limit">Most bytes that may wait.</param>
    /// <param name="owner">Told once if the connection must be dropped.</param>
    /// <param name="connectionId">The connection's id, for the log.</param>
    /// <param name="features">The connection's features, for the metrics.</param>
    internal OutboundQueue(IOutboundWriter writer, OutboundPump pump, int limit, OutboundQueues owner, string connectionId, IFeatureCollection features)
    {
        _writer = writer;
        _pump = pump;
        _limit = limit;
        _owner = owner;
        _connectionId = connectionId;
        _features = features;
    }

    OutboundQueue IOutboundQueueFeature.Queue => this;

    /// <summary>Set once the queue was closed because its reader fell more than the limit behind.</summary>
    internal bool HasOverflowed { get; private set; }

    /// <summary>Set once a write failed or the queue overflowed: the connection is being dropped, nothing more goes out.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Completes after <see cref="Complete"/> once everything queued before it is written (or the connection is dropped).</summary>
    public Task Drained => DrainedSource.Task;

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/>, whose bytes in this connection's protocol are
    /// <paramref name="serialized"/> (shared, never changed afterwards). False (and nothing kept)
    /// once the queue is closed or the connection is being dropped.
    /// </summary>
    public bool TryEnqueue(SerializedHubMessage message, ReadOnlyMemory<byte> serialized) => TryEnqueue(new OutboundEntry(message, serialized));

    /// <summary>
    /// Queues whole frames in the wire format, by reference (the caller never changes <paramref name="frames"/>
    /// afterwards): only for a queue that writes a socket itself (<see cref="OutboundQueues.Create"/>).
    /// False (and nothing kept) once the queue is closed.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frames) => TryEnqueue(new OutboundEntry(null, frames));

    /// <summary>No more messages: <see cref="Drained"/> completes once the queued ones are written.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _closed = true;
            if (_scheduled)
            {
                // The pump finishes the writing and completes Drained.
                return;
            }
        }

        DrainedSource.TrySetResult();
    }

    /// <summary>The pump's turn for this connection: everything queued goes to the writer at once.</summary>
    internal void Send()
    {
        OutboundEntry[]? batch;
        int count;
        int bytes;
        lock (_lock)
        {
            // Nothing is on the wire while the queue is lined up: every byte counted is in this batch.
            (batch, count, bytes) = (_queued, _count, _bytes);
            (_queued, _spare, _count) = (_spare, null, 0);
        }

        if (count == 0)
        {
            // Dropped meanwhile: nothing left to write.
            Written(batch, 0, 0, null);
            return;
        }

        ValueTask write;
        try
        {
            write = _writer.WriteAsync(batch!.AsMemory(0, count), bytes);
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            Written(batch, count, bytes, ex);
            return;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Written(batch, count, bytes, null);
        }
        else
        {
            _ = CompleteWriteAsync(write, batch!, count, bytes);
        }
    }

    private TaskCompletionSource DrainedSource => LazyInitializer.EnsureInitialized(ref _drained, static () => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private static bool IsWriteFailure(Exception ex) => ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException;

    private bool TryEnqueue(OutboundEntry entry)
    {
        bool overflow;
        bool schedule = false;
        var drained = false;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            overflow = entry.Bytes.Length > _limit - _bytes;
            if (overflow)
            {
                HasOverflowed = true;
                BreakLocked();
                drained = !_scheduled;
            }
            else
            {
                AddLocked(entry);
                schedule = !_scheduled;
                _scheduled = true;
            }
        }

        if (schedule)
        {
            _pump.Schedule(this);
        }
        else if (overflow)
        {
            Drop(null);
            if (drained)
            {
                DrainedSource.TrySetResult();
            }
        }

        return !overflow;
    }

    private async Task CompleteWriteAsync(ValueTask write, OutboundEntry[] batch, int count, int bytes)
    {
        Exception? failure = null;
        try
        {
            await write;
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            failure = ex;
        }

        Written(batch, count, bytes, failure);
    }

    /// <summary>After a write: line up again if more came meanwhile, else rest (or report the end).</summary>
    private void Written(OutboundEntry[]? batch, int count, int bytes, Exception? failure)
    {
        bool again;
        bool drained;
        var drop = false;
        lock (_lock)
        {
            if (!IsBroken)
            {
                _bytes -= bytes;
            }

            if (batch is not null)
            {
                // Drop the references, so sent broadcasts can be collected.
                Array.Clear(batch, 0, count);
                if (_spare is null && batch.Length <= RetainedSlots && !IsBroken)
                {
                    _spare = batch;
                }
            }

            if (failure is not null && !IsBroken)
            {
                BreakLocked();
                drop = true;
            }

            again = _count > 0;
            _scheduled = again;
            drained = !again && _closed;
        }

        if (drop)
        {
            Drop(failure);
        }

        if (again)
        {
            _pump.Schedule(this);
        }
        else if (drained)
        {
            DrainedSource.TrySetResult();
        }
    }

    /// <summary>The connection can take no more: it overflowed (<paramref name="failure"/> null) or a write failed.</summary>
    private void Drop(Exception? failure)
    {
        _owner.Dropped(_connectionId, _features, failure);
        _writer.Abort();
    }

    /// <summary>Closes the queue for good and lets go of what waits (what is on the wire finishes or fails on its own).</summary>
    private void BreakLocked()
    {
        IsBroken = true;
        _closed = true;
        (_queued, _spare, _count) = (null, null, 0);
        _bytes = 0;
    }

    private void AddLocked(OutboundEntry entry)
    {
        if (_queued is null)
        {
            _queued = _spare ?? new OutboundEntry[InitialSlots];
            _spare = null;
        }
        else if (_count == _queued.Length)
        {
            Array.Resize(ref _queued, _count * 2);
        }

        _queued[_count++] = entry;
        _bytes += entry.Bytes.Length;
    }
}
