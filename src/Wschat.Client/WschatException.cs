namespace Wschat.Client;

/// <summary>The server refused a request with an <c>error</c> message (see the server's error table).</summary>
public sealed class WschatException : Exception
{
    public WschatException(int code, string message)
        : base(message)
    {
        Code = code;
    }

    public WschatException()
    {
    }

    public WschatException(string message)
        : base(message)
    {
    }

    public WschatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The server's error code (e.g. 4003: admin command without an admin token).</summary>
    public int Code { get; }
}
