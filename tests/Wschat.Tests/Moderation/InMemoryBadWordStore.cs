using Wschat.Hub.Moderation;

namespace Wschat.Tests.Moderation;

/// <summary>A store another node can write to: <see cref="ChangeElsewhere"/> stands for that node.</summary>
internal sealed class InMemoryBadWordStore(string body = "") : IBadWordStore
{
    private volatile string _body = body;

    public event EventHandler? Changed;

    public string Body => _body;

    public async Task<string> LoadAsync(CancellationToken cancellationToken)
    {
        // Yield so that callers racing each other really interleave.
        await Task.Yield();
        return _body;
    }

    public async Task SaveAsync(string rulesBody, CancellationToken cancellationToken)
    {
        // Stored at once, acknowledged later, like a network store: saves can finish out of order.
        _body = rulesBody;
        await Task.Delay(Random.Shared.Next(5), cancellationToken);
    }

    public void ChangeElsewhere(string rulesBody)
    {
        _body = rulesBody;
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
