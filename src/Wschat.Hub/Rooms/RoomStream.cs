using System.Security.Cryptography;

namespace Wschat.Hub.Rooms;

/// <summary>
/// One room's stream held in memory: the next offset, the epoch and the last messages. Idle past
/// the TTL, it forgets them and starts a new epoch. Not thread-safe: its owner serializes access.
/// </summary>
internal sealed class RoomStream
{
    private readonly RoomPublication[] _ring;
    private readonly string _epochPrefix;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private int _oldest;
    private int _count;
    private long _lastAppend;

    /// <summary>A new stream; <paramref name="epochPrefix"/> marks whose epochs it makes (e.g. a node's own during a Redis outage).</summary>
    public RoomStream(RoomHistoryOptions options, TimeProvider time, string epochPrefix = "")
    {
        _ring = new RoomPublication[options.Size];
        _time = time;
        _ttl = TimeSpan.FromSeconds(options.TtlSeconds);
        _epochPrefix = epochPrefix;
        _lastAppend = time.GetTimestamp();
        Last = new RoomPosition(NewEpoch(), 0);
    }

    public RoomPosition Last { get; private set; }

    /// <summary>True once nothing was appended for the TTL: the history is gone.</summary>
    public bool IsExpired => _time.GetElapsedTime(_lastAppend) >= _ttl;

    public RoomPublication Append(RoomMessage message)
    {
        ForgetIfExpired();
        _lastAppend = _time.GetTimestamp();
        var publication = new RoomPublication(Last with { Offset = Last.Offset + 1 }, message);
        Last = publication.Position;
        if (_ring.Length > 0)
        {
            var slot = (_oldest + _count) % _ring.Length;
            _ring[slot] = publication;
            if (_count == _ring.Length)
            {
                _oldest = (_oldest + 1) % _ring.Length;
            }
            else
            {
                _count++;
            }
        }

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

    private void ForgetIfExpired()
    {
        if (IsExpired)
        {
            Array.Clear(_ring);
            (_oldest, _count, _lastAppend) = (0, 0, _time.GetTimestamp());
            Last = new RoomPosition(NewEpoch(), 0);
        }
    }

    private string NewEpoch() => _epochPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
