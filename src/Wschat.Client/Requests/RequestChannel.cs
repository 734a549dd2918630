using Wschat.Client.Transport;
using Wschat.Contracts;

namespace Wschat.Client.Requests;

/// <summary>
/// What the client sends on its current connection (<paramref name="connection"/>), and the reply each
/// call waits for. One call at a time: the server answers a connection in order, so the next matching
/// message is the reply. An error names no request: the <c>hello</c> barriers sent here tell whose it is
/// (see <see cref="PendingReply"/>); a call the server refuses fails with <paramref name="refused"/>'s exception.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphores are only awaited, never their wait handles: there is nothing to dispose.")]
internal sealed class RequestChannel(Func<IWschatConnection> connection, TimeSpan timeout, Func<ErrorMessage, Exception> refused)
{
    private static readonly Func<string, object, bool> IsGreeting = static (type, _) => type == WschatMethods.SetUserId;
    private static readonly Func<string, object, bool> IsHelloReply = static (type, _) => type == WschatMethods.Hello;

    private readonly SemaphoreSlim _requests = new(1, 1);

    // Orders what goes on the wire with the hello barriers that tell whose an error is (see PendingReply).
    private readonly SemaphoreSlim _wire = new(1, 1);
    private PendingReply? _pending;

    // Per connection. Under _wire: hellos sent, and whether a fire-and-forget send went since the last barrier.
    private long _hellosSent;
    private bool _unsettled;

    // Per connection, on the receive thread: hello replies received.
    private long _hellosAnswered;

    /// <summary>Starts a connection just made current and waits for its greeting, the first message, like a reply.</summary>
    public async Task<object> StartAsync(IWschatConnection started, CancellationToken cancellationToken)
    {
        (_hellosSent, _unsettled, _hellosAnswered) = (0, false, 0);
        var greeting = new PendingReply(IsGreeting, opensAfter: 0, refused);
        _pending = greeting;
        try
        {
            await started.StartAsync(cancellationToken);
            return await greeting.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _pending = null;
        }
    }

    /// <summary>
    /// Sends a call and returns its reply, the next message <paramref name="isReply"/> accepts. A hello goes
    /// first if fire-and-forget sends went since the last: errors before its reply are theirs.
    /// </summary>
    public Task<object> RequestAsync(string type, object? payload, Func<string, object, bool> isReply, CancellationToken cancellationToken) =>
        RequestAsync(type, payload, isReply, thenHello: false, cancellationToken);

    /// <summary>A message with no reply of its own, followed by a hello: an error before the hello's reply is the message's.</summary>
    public async Task CommandAsync(string type, object payload, CancellationToken cancellationToken) =>
        await RequestAsync(type, payload, IsHelloReply, thenHello: true, cancellationToken);

    /// <summary>
    /// A fire-and-forget send. If a call is waiting, a hello goes first: an error after its reply is this
    /// send's, not the call's (a join's reply travels through the room and may come after it).
    /// </summary>
    public async Task SendAsync(string type, object payload, CancellationToken cancellationToken)
    {
        var to = connection();
        await _wire.WaitAsync(cancellationToken);
        try
        {
            if (_pending is { IsWaiting: true, ClosesAt: long.MaxValue } waiting)
            {
                await SendOnWireAsync(to, WschatMethods.Hello, null, cancellationToken);
                waiting.CloseAt(_hellosSent);
            }

            _unsettled = true;
            await to.SendAsync(type, payload, cancellationToken);
        }
        finally
        {
            _wire.Release();
        }
    }

    /// <summary>A message from the current connection, in the order received (the client's receive lock is held).</summary>
    public void Offer(string type, object payload)
    {
        var hellosAnswered = type == WschatMethods.Hello ? ++_hellosAnswered : _hellosAnswered;
        _pending?.Offer(type, payload, hellosAnswered);
    }

    private async Task<object> RequestAsync(string type, object? payload, Func<string, object, bool> isReply, bool thenHello, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken);
        try
        {
            var to = connection();
            PendingReply reply;
            await _wire.WaitAsync(cancellationToken);
            try
            {
                if (_unsettled)
                {
                    await SendOnWireAsync(to, WschatMethods.Hello, null, cancellationToken);
                    _unsettled = false;
                }

                reply = new PendingReply(isReply, _hellosSent, refused);
                _pending = reply;
                await SendOnWireAsync(to, type, payload, cancellationToken);
                if (thenHello)
                {
                    await SendOnWireAsync(to, WschatMethods.Hello, null, cancellationToken);
                }
            }
            finally
            {
                _wire.Release();
            }

            return await reply.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _pending = null;
            _requests.Release();
        }
    }

    /// <summary>Sends under <see cref="_wire"/>, counting hellos (their replies arrive in the same order).</summary>
    private Task SendOnWireAsync(IWschatConnection to, string type, object? payload, CancellationToken cancellationToken)
    {
        if (type == WschatMethods.Hello)
        {
            _hellosSent++;
        }

        return to.SendAsync(type, payload, cancellationToken);
    }
}
