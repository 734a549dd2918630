namespace Wschat.Hub.Moderation;

/// <summary>
/// The node's current prohibited-word filter: loaded from the store at start, replaced by an
/// admin's setbadwords, reloaded when another node changed the list.
/// </summary>
internal sealed class WordFilterService(IBadWordStore store, ILogger<WordFilterService> logger) : IHostedService, IDisposable
{
    // One save or load at a time, so the list served is always the one stored last.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile BadWordFilter _filter = BadWordFilter.Empty;

    public string Filter(string text) => _filter.Apply(text);

    /// <exception cref="FormatException">The list is malformed; the current one stays.</exception>
    public async Task ReplaceAsync(string rulesBody, CancellationToken cancellationToken)
    {
        var filter = BadWordFilter.Create(BadWordRules.Parse(rulesBody));
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await store.SaveAsync(rulesBody, cancellationToken);
            _filter = filter;
        }
        finally
        {
            _gate.Release();
        }

        ModerationLog.Replaced(logger, filter.Count);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += OnChanged;
        await LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    public void Dispose() => _gate.Dispose();

    private void OnChanged(object? sender, EventArgs e) => _ = LoadAsync(CancellationToken.None);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _filter = BadWordFilter.Create(BadWordRules.Parse(await store.LoadAsync(cancellationToken)));
            ModerationLog.Loaded(logger, _filter.Count);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            // Keep serving with the list we have (empty at start) rather than refusing to start.
            ModerationLog.LoadFailed(logger, ex);
        }
        finally
        {
            _gate.Release();
        }
    }
}
