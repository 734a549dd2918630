namespace Wschat.Tests.Infrastructure;

/// <summary>Polls a condition that an asynchronous process makes true, bounded in time.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                last = ex;
            }

            // Polling an external process (a server starting up): there is no message to await.
            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {timeout}", last);
    }
}
