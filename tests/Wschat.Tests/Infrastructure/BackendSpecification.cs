using Microsoft.Extensions.Logging;
using Wschat.Tests.Rooms;
using Xunit.Abstractions;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// The base of a backend interface's specification, as <see cref="RoomBrokerSpecification"/> is the room
/// broker's: an abstract class whose tests say what every implementation does, subclassed once per
/// implementation (with that implementation's own tests beside). A test makes the nodes it needs, and the
/// nodes of one test are one cluster: in memory every node is the one store (a single node is the whole
/// cluster); on Redis each is a store on its own connection to one real redis-server (<see cref="RedisNodes"/>).
/// </summary>
public abstract class BackendSpecification(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisNodes? _redis;

    private protected static CancellationToken None => CancellationToken.None;

    private protected ILoggerFactory Logs { get; } = TestOutputLoggerProvider.Factory(output);

    /// <summary>Whether the implementation under test keeps its state in Redis: then each test starts a redis-server.</summary>
    private protected virtual bool OnRedis => false;

    /// <summary>The test's redis-server and its nodes' connections.</summary>
    private protected RedisNodes Redis => _redis ?? throw new InvalidOperationException($"{GetType().Name} is not {nameof(OnRedis)}.");

    public async Task InitializeAsync()
    {
        if (OnRedis)
        {
            _redis = await RedisNodes.StartAsync(Logs);
        }
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Logs.Dispose();
    }
}

/// <summary>Bounds an await of a store, whose methods take tokens that most implementations do not watch.</summary>
internal static class TaskTimeouts
{
    /// <summary>How long one call of a store may take; far beyond what one takes (milliseconds), even on a loaded machine.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);
}
