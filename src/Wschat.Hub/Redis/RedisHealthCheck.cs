using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wschat.Hub.Redis;

/// <summary>Degraded (still serving this node's connections) while Redis is away.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("connected to Redis")
            : HealthCheckResult.Degraded("Redis unreachable: serving local connections only"));
}
