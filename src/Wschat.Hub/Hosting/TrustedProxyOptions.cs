using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Wschat.Hub.Hosting;

/// <summary>Whose <c>X-Forwarded-For</c> is believed: <c>Wschat:TrustedProxies</c> and <c>Wschat:TrustedNetworks</c>.</summary>
internal sealed class TrustedProxyOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>Proxies (IP addresses) whose <c>X-Forwarded-For</c> is believed. Empty: none is.</summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c> is believed.</summary>
    public IReadOnlyList<string> TrustedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult($"Wschat:TrustedProxies:{i} is not an IP address: '{TrustedProxies[i]}'.", [nameof(TrustedProxies)]);
            }
        }

        for (var i = 0; i < TrustedNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(TrustedNetworks[i], out _))
            {
                yield return new ValidationResult($"Wschat:TrustedNetworks:{i} is not a network in CIDR notation (e.g. 10.0.0.0/8): '{TrustedNetworks[i]}'.", [nameof(TrustedNetworks)]);
            }
        }
    }
}
