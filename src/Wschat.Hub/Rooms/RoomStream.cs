using System.Security.Cryptography;

namespace Wschat.Hub.Rooms;

/// <summary>
/// One room's stream held in memory: the epoch, the last offset and the last kept messages. It begins
/// an epoch with its first kept message; idle past the TTL, it forgets them and holds nothing again.
/// The ring grows with the messages up to the configured size, so a room with a message or two holds a
/// few slots, not a full ring. Not thread-safe: its owner serializes access.
/// </summary>
internal sealed class RoomStream
{
    private const int FirstRingSize = 4;

    private readonly int _size;
    private readonly string _epochPrefix;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private RoomPublication[] _ring = [];
    private int _oldest;
    private int _count;
    private long _lastAppend;

    /// <summary>A new stream; <paramref name="epochPrefix"/> marks whose epochs it makes (e.g. a node's own during a Redis outage).</summary>
    public RoomStream(RoomHistoryOptions options, TimeProvider time, string epochPrefix = "")
    {
        _size = options.Size;
        _time = time;
        _ttl = TimeSpan.FromSeconds(options.TtlSeconds);
        _epochPrefix = epochPrefix;
    }

    /// <summary>The place of the last kept message; <see cref="RoomPosition.Start"/> while the stream has no epoch.</summary>
    public RoomPosition Last { get; private set; } = RoomPosition.Start;

    /// <summary>True while a kept message is younger than the TTL: the stream has an epoch (and, unless the size is 0, messages).</summary>
    public bool HasHistory => Last.Epoch.Length > 0 && _time.GetElapsedTime(_lastAppend) < _ttl;

    /// <summary>A kept message gets the next offset (the first one a new epoch); any other, the place of the last kept one.</summary>
    public RoomPublication Append(RoomMessage message)
    {
        ForgetIfExpired();
        if (!message.IsKept)
        {
            return new RoomPublication(Last, message);
        }

        _lastAppend = _time.GetTimestamp();
        var last = Last.Epoch.Length > 0 ? Last : new RoomPosition(NewEpoch(), 0);
        var publication = new RoomPublication(last with { Offset = last.Offset + 1 }, message);
        Last = publication.Position;
        Keep(publication);
        return publication;
    }

    public RoomHistory Read(RoomPosition since, int limit)
    {
        ForgetIfExpired();
        var after = since.Epoch == Last.Epoch ? since.Offset : 0;
        var found = new List<RoomPublication>(Math.Min(limit, _count));
        for (var i = 0; i < _count && found.Count < limit; i++)
        {
            var publication = _ring[(_oldest + i) % _ring.Length];
            if (publication.Position.Offset > after)
            {
                found.Add(publication);
            }
        }

        return new RoomHistory(Last, found);
    }

    private void Keep(RoomPublication publication)
    {
        if (_size == 0)
        {
            return;
        }

        if (_count == _ring.Length && _ring.Length < _size)
        {
            var grown = new RoomPublication[Math.Min(_size, Math.Max(FirstRingSize, _ring.Length * 2))];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_oldest + i) % _ring.Length];
            }

            (_ring, _oldest) = (grown, 0);
        }

        _ring[(_oldest + _count) % _ring.Length] = publication;
        if (_count == _ring.Length)
        {
            _oldest = (_oldest + 1) % _ring.Length;
        }
        else
        {
            _count++;
        }
    }

    private void ForgetIfExpired()
    {
        if (Last.Epoch.Length > 0 && !HasHistory)
        {
            (_ring, _oldest, _count, Last) = ([], 0, 0, RoomPosition.Start);
        }
    }

    private string NewEpoch() => _epochPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
