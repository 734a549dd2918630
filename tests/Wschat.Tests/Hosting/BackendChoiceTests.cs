using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Hub.Api;
using Wschat.Hub.Hosting;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// <c>Wschat:Redis</c> is read in one place: every backend is in memory without it and in Redis with it,
/// and the Redis registrations take the in-memory ones' place whichever is registered first.
/// </summary>
public sealed class BackendChoiceTests
{
    private static readonly Type[] s_backends =
        [typeof(IPresenceStore), typeof(IUidAllocator), typeof(IBadWordStore), typeof(IRoomRuleStore), typeof(IIdempotencyStore), typeof(IRoomBroker)];

    [Fact]
    public async Task Without_Wschat_Redis_every_backend_is_in_memory()
    {
        await using var node = await HubNode.StartAsync();

        Assert.Equal(
            [typeof(MemoryPresenceStore), typeof(ClockUidAllocator), typeof(FileBadWordStore), typeof(MemoryRoomRuleStore), typeof(MemoryIdempotencyStore), typeof(MemoryRoomBroker)],
            s_backends.Select(backend => node.Services.GetRequiredService(backend).GetType()));
    }

    [Fact]
    public async Task With_Wschat_Redis_every_backend_is_in_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Redis={redis.Configuration}");

        Assert.Equal(
            [typeof(RedisPresenceStore), typeof(RedisUidAllocator), typeof(RedisBadWordStore), typeof(RedisRoomRuleStore), typeof(RedisIdempotencyStore), typeof(RedisRoomBroker)],
            s_backends.Select(backend => node.Services.GetRequiredService(backend).GetType()));
    }

    [Fact]
    public void The_Redis_registrations_are_the_same_whether_they_come_before_or_after_the_in_memory_defaults()
    {
        var single = new ConfigurationBuilder().Build();
        var clustered = new ConfigurationBuilder().AddInMemoryCollection([new("Wschat:Redis", "127.0.0.1:6379")]).Build();

        var composed = Registrations(new ServiceCollection().AddWschat(clustered));
        var redisLast = Registrations(new ServiceCollection().AddWschat(single).AddWschatRedis());
        var redisFirst = Registrations(new ServiceCollection().AddWschatRedis().AddWschat(single));

        Assert.Equal(composed, redisLast);
        Assert.Equal(composed, redisFirst);
        Assert.All(s_backends, backend => Assert.Single(composed, registration => registration.StartsWith(backend + " ", StringComparison.Ordinal)));
    }

    // What each registration provides, in a stable order: the registrations' order is what must not matter.
    private static List<string> Registrations(IServiceCollection services) =>
    [
        .. services
            .Select(static service => service.IsKeyedService
                ? $"{service.ServiceType} [{service.ServiceKey}] {service.KeyedImplementationType ?? service.KeyedImplementationInstance?.GetType()} {service.KeyedImplementationFactory?.Method}"
                : $"{service.ServiceType} {service.ImplementationType ?? service.ImplementationInstance?.GetType()} {service.ImplementationFactory?.Method}")
            .Order(StringComparer.Ordinal),
    ];
}
