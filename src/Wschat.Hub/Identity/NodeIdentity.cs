namespace Wschat.Hub.Identity;

/// <summary>This process's name in the cluster: fresh at every start, so a restarted node never inherits a dead one's state.</summary>
internal sealed class NodeIdentity
{
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];
}
