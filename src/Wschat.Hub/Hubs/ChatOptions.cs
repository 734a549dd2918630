using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hubs;

/// <summary>What the hub answers with: <c>Wschat:ServerName</c> and <c>Wschat:UserListLimit</c>.</summary>
internal sealed class ChatOptions
{
    public const string SectionName = "Wschat";

    /// <summary>Server name and version sent in the <c>hello</c> reply.</summary>
    [Required(ErrorMessage = "Wschat:ServerName must not be empty.")]
    public string ServerName { get; set; } = "Wschat Hub/" + ThisAssembly.Version;

    /// <summary>Most logged-in users one <c>userlist</c> reply lists; <c>count</c> stays the total.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:UserListLimit must be at least 0.")]
    public int UserListLimit { get; set; } = 500;
}
