using Wschat.Contracts;

namespace Wschat.Client.Requests;

/// <summary>
/// A call waiting for the message that answers it. The server answers a connection in order, but an
/// <c>error</c> names no request: an error belongs to this call only if it comes inside the call's
/// window, which <c>hello</c> barriers bound. The window opens once the reply to the
/// <see cref="OpensAfter"/>-th hello of the connection has arrived (errors before are of earlier
/// fire-and-forget sends) and closes at the reply to the <see cref="ClosesAt"/>-th (errors after are
/// of fire-and-forget sends made while this call waited). An error inside fails the call with the
/// exception <paramref name="refused"/> makes of it.
/// </summary>
internal sealed class PendingReply(Func<string, object, bool> isReply, long opensAfter, Func<ErrorMessage, Exception> refused)
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<object> Task => _reply.Task;

    /// <summary>The hellos sent before the call: their replies, and anything before them, are not its.</summary>
    public long OpensAfter { get; } = opensAfter;

    /// <summary>The number of the first hello sent after the call, once a fire-and-forget send followed it.</summary>
    public long ClosesAt { get; private set; } = long.MaxValue;

    public bool IsWaiting => !_reply.Task.IsCompleted;

    /// <summary>Marks hello number <paramref name="hello"/> as sent after the call (if none was before).</summary>
    public void CloseAt(long hello) => ClosesAt = Math.Min(ClosesAt, hello);

    /// <summary>A message from the server; <paramref name="hellosAnswered"/>: hello replies received so far, this message included.</summary>
    public void Offer(string type, object payload, long hellosAnswered)
    {
        var isHello = type == WschatMethods.Hello;
        if (hellosAnswered < OpensAfter || (isHello && hellosAnswered == OpensAfter))
        {
            return;
        }

        if (payload is ErrorMessage error)
        {
            if (hellosAnswered < ClosesAt)
            {
                _reply.TrySetException(refused(error));
            }
        }
        else if (isReply(type, payload))
        {
            _reply.TrySetResult(payload);
        }
    }
}
