using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Api;

/// <summary>
/// The cluster's nodes as their leases in Redis show them (each renews by Redis's clock); without
/// Redis, or while it is away, this node alone.
/// </summary>
internal sealed class NodesApi(NodeIdentity node, IServiceProvider services)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly RedisNodeLeases? _leases = services.GetService<RedisNodeLeases>();

    public async Task<Ok<NodeListReply>> ListAsync()
    {
        if (_redis is { IsConnected: true } redis && _leases is { } leases)
        {
            try
            {
                var all = await leases.ListAsync(redis.Database);
                return TypedResults.Ok(new NodeListReply(
                    [.. all.Select(lease => new NodeReply(lease.Node, lease.Node == node.Id, (long)lease.Left.TotalMilliseconds, lease.Left > TimeSpan.Zero))],
                    RedisConnected: true));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis failed the read: this node is what can be told.
            }
        }

        return TypedResults.Ok(new NodeListReply([new NodeReply(node.Id, ThisNode: true, LeaseLeftMs: null, Alive: true)], RedisConnected: false));
    }
}
