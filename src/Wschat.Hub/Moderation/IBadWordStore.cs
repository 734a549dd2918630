namespace Wschat.Hub.Moderation;

/// <summary>Where the prohibited-word list lives, so it survives restarts and, in a cluster, is the same on every node.</summary>
public interface IBadWordStore
{
    /// <summary>The stored list (the body of a setbadwords command), or an empty string.</summary>
    Task<string> LoadAsync(CancellationToken cancellationToken);

    Task SaveAsync(string rulesBody, CancellationToken cancellationToken);

    /// <summary>Raised when another node changed the list; a store without other writers never raises it.</summary>
    event EventHandler? Changed;
}
