using Microsoft.AspNetCore.SignalR;

namespace Wschat.Hub.Hubs;

/// <summary>
/// No hub method's effect outlives its connection. SignalR runs <c>OnDisconnectedAsync</c> without
/// waiting for an invocation still in flight, so a <c>join</c> awaiting presence could otherwise
/// add its member after the disconnect looked and found no room: a ghost for good. Here each
/// invocation holds its session's gate, the disconnect closes the session and then waits for the
/// gate, so it cleans up after whatever the last invocation added; an invocation that gets the gate
/// after the close does nothing. An invocation cut short because its connection went away ends
/// quietly: nobody is left to answer, and it is not a server error.
/// </summary>
internal sealed class ConnectionCloseFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var session = ChatSession.Of(invocationContext.Context);
        await session.Gate.WaitAsync();
        try
        {
            return session.IsClosed ? null : await next(invocationContext);
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        var session = ChatSession.Of(context.Context);
        await session.Gate.WaitAsync();
        try
        {
            session.IsClosed = true;
            await next(context, exception);
        }
        finally
        {
            session.Gate.Release();
        }
    }
}
