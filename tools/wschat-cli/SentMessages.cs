using System.Globalization;
using Wschat.Client;

namespace Wschat.Cli;

/// <summary>
/// The danmu and text this session sent, and how many the server has answered: with the room's copy
/// (the sender gets its own) or with an error. A room's messages travel apart from the replies to
/// later commands, so quitting right after a send waits for its answer rather than losing it.
/// </summary>
internal sealed class SentMessages
{
    private readonly Lock _lock = new();
    private int _sent;
    private int _answered;
    private TaskCompletionSource? _allAnswered;

    public void Attach(WschatClient client)
    {
        client.DanmuReceived += (_, m) => AnsweredIfOwn(client, m.Uid);
        client.TextReceived += (_, m) => AnsweredIfOwn(client, m.Uid);
        client.ErrorReceived += (_, _) => Answered();
    }

    /// <summary>One more sent; its answer may already have come.</summary>
    public void Sent()
    {
        lock (_lock)
        {
            _sent++;
        }
    }

    /// <summary>Completes once every message sent so far is answered, or after <paramref name="atMost"/>.</summary>
    public async Task WaitAnsweredAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        Task allAnswered;
        lock (_lock)
        {
            if (_answered >= _sent)
            {
                return;
            }

            allAnswered = (_allAnswered ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        await Task.WhenAny(allAnswered, Task.Delay(atMost, cancellationToken));
    }

    private void AnsweredIfOwn(WschatClient client, string uid)
    {
        if (uid == client.Uid.ToString(CultureInfo.InvariantCulture))
        {
            Answered();
        }
    }

    private void Answered()
    {
        lock (_lock)
        {
            if (++_answered >= _sent)
            {
                _allAnswered?.TrySetResult();
                _allAnswered = null;
            }
        }
    }
}
