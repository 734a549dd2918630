using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Wschat.Hub.Redis;

/// <summary>The Redis keys of the <c>Wschat</c> section: whether and where the node joins a cluster.</summary>
internal sealed class RedisConnectionOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>
    /// StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>). Set: the node joins the
    /// cluster on that Redis. Unset: a single node with in-memory state.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key and channel, so several clusters can share one Redis.</summary>
    [Required(ErrorMessage = "Wschat:RedisPrefix must not be empty.")]
    [RegularExpression(@"^[^\s{}]+$", ErrorMessage = "Wschat:RedisPrefix must not hold spaces or braces (braces would break the {room} hash tags).")]
    public string RedisPrefix { get; set; } = "wschat";

    /// <summary>Whether the configuration names a Redis, so each concern registers its Redis implementation.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[$"{SectionName}:{nameof(Redis)}"]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Redis))
        {
            yield break;
        }

        string? error = null;
        try
        {
            if (ConfigurationOptions.Parse(Redis).EndPoints.Count == 0)
            {
                error = "no endpoint (host:port)";
            }
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult($"Wschat:Redis is not a StackExchange.Redis configuration string: {error}", [nameof(Redis)]);
        }
    }
}
