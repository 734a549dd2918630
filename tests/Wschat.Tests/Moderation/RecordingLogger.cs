using Microsoft.Extensions.Logging;

namespace Wschat.Tests.Moderation;

/// <summary>Keeps the level of every entry, to check that a failure was reported.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<LogLevel> _levels = [];

    public IReadOnlyList<LogLevel> Levels
    {
        get
        {
            lock (_levels)
            {
                return [.. _levels];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_levels)
        {
            _levels.Add(logLevel);
        }
    }
}
