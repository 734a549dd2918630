namespace Wschat.Client.Reconnect;

/// <summary>
/// Reconnects after a dropped connection: <paramref name="attemptAsync"/> after each of the
/// <paramref name="delays"/> (the last one repeats) until an attempt succeeds or <paramref name="stopped"/>
/// is cancelled. <paramref name="starting"/> is told when a loop starts; one runs at a time.
/// </summary>
internal sealed class ReconnectLoop(IReadOnlyList<TimeSpan> delays, Func<CancellationToken, Task<bool>> attemptAsync, Action starting, CancellationToken stopped)
{
    private int _running;

    /// <summary>Starts the loop, unless it runs already.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _running, 1) == 0)
        {
            _ = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        starting();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await Task.Delay(delays.Count == 0 ? TimeSpan.Zero : delays[Math.Min(attempt, delays.Count - 1)], stopped);
                try
                {
                    if (await attemptAsync(stopped))
                    {
                        return;
                    }

                    // The connection closed during the attempt: the next one starts over.
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopped.IsCancellationRequested)
                {
                    // The server is still away (or refused): try again after the next delay.
                }
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            // Stopped while reconnecting.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
