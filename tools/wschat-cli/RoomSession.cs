using System.Globalization;
using Wschat.Client;
using Wschat.Contracts;

namespace Wschat.Cli;

/// <summary>Prints a room as it happens and sends what is typed on standard input.</summary>
internal static class RoomSession
{
    // How long quitting waits for the answers to what was just sent.
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(WschatClientOptions options, string? room, string? name, TimeSpan linger, CancellationToken cancellationToken)
    {
        await using var client = new WschatClient(options);
        var printer = new RoomPrinter(Console.Out);
        printer.Attach(client);
        var sent = new SentMessages();
        sent.Attach(client);
        try
        {
            await client.ConnectAsync(cancellationToken);
            if (name is not null)
            {
                await client.LoginAsync(new LoginRequest { Uname = name }, cancellationToken);
                printer.Remember(client.Uid, name);
            }

            if (room is not null)
            {
                await client.JoinAsync(room, cancellationToken);
            }

            while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!await RunLineAsync(client, printer, sent, line.Trim(), cancellationToken))
                {
                    await sent.WaitAnsweredAsync(s_answerTimeout, cancellationToken);
                    return 0;
                }
            }

            // Input ended (e.g. piped): stay a moment to see the room answer.
            await sent.WaitAnsweredAsync(s_answerTimeout, cancellationToken);
            await Task.Delay(linger, cancellationToken);
            return 0;
        }
        catch (WschatException error)
        {
            printer.Note($"refused: {error.Code} {error.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <returns>False to quit.</returns>
    private static async Task<bool> RunLineAsync(WschatClient client, RoomPrinter printer, SentMessages sent, string line, CancellationToken cancellationToken)
    {
        var (command, rest) = line.StartsWith('/') ? Split(line[1..]) : (null, line);
        try
        {
            switch (command)
            {
                case null when rest.Length > 0:
                    await client.SendDanmuAsync(rest, cancellationToken);
                    sent.Sent();
                    break;
                case "text":
                    await client.SendTextAsync(rest, cancellationToken);
                    sent.Sent();
                    break;
                case "to":
                    var (uid, text) = Split(rest);
                    await client.SendToAsync(text, [long.Parse(uid, CultureInfo.InvariantCulture)], cancellationToken);
                    break;
                case "users":
                    printer.Users(await client.GetUserListAsync(cancellationToken));
                    break;
                case "join":
                    await client.JoinAsync(rest, cancellationToken);
                    break;
                case "leave":
                    await client.LeaveAsync(cancellationToken);
                    break;
                case "quit":
                    return false;
                case null:
                    break;
                default:
                    printer.Note($"unknown command /{command}");
                    break;
            }
        }
        catch (Exception error) when (error is WschatException or FormatException or TimeoutException)
        {
            printer.Note($"refused: {error.Message}");
        }

        return true;
    }

    private static (string Head, string Tail) Split(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }
}
