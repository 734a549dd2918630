namespace Wschat.RawAdapter.Transport;

/// <summary>Limits of the raw WebSocket transport.</summary>
public sealed class WschatTransportOptions
{
    /// <summary>Largest text frame accepted, in bytes; a larger one is refused with an error (1006).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Oversize or binary frames in a row after which the socket is closed (1009 / 1003).</summary>
    public int RefusedFramesBeforeClose { get; set; } = 3;

    /// <summary>How long a closing socket waits for the client's close frame.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
