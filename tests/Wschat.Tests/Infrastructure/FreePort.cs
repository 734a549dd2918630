using System.Net;
using System.Net.Sockets;

namespace Wschat.Tests.Infrastructure;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port the kernel hands out to outgoing
    // connections could be taken by one of the tests' own clients before a child process binds it.
    private const int First = 10000;
    private const int Count = 22000;

    // Handed out in turn from a random start, so tests running side by side never pick the same one.
    private static int s_next = Random.Shared.Next(Count);

    /// <summary>A loopback TCP port, outside the ephemeral range, that was free a moment ago.</summary>
    public static int Next()
    {
        while (true)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref s_next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }
}
