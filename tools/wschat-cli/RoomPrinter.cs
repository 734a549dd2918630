using System.Collections.Concurrent;
using System.Globalization;
using Wschat.Client;
using Wschat.Contracts;

namespace Wschat.Cli;

/// <summary>One line per thing that happens in the room, with the time and the sender's name when known.</summary>
internal sealed class RoomPrinter(TextWriter output)
{
    private readonly ConcurrentDictionary<long, string> _names = new();
    private readonly Lock _writing = new();

    public void Attach(WschatClient client)
    {
        client.DanmuReceived += (_, m) => Line($"danmu   {Learn(m.Uid, m.Username)}: {m.Text}");
        client.TextReceived += (_, m) => Line($"text    {Learn(m.Uid, m.Username)}: {m.Text}");
        client.PrivateMessageReceived += (_, m) => Line($"private {Learn(m.Uid, m.Username)} → you: {m.Text}");
        client.RoomEventReceived += (_, e) => Line(Describe(e));
        client.ErrorReceived += (_, e) => Line($"error   {e.Code}: {e.Msg}");
        client.StateChanged += (_, state) => Note(state switch
        {
            WschatConnectionState.Reconnecting => "connection lost, reconnecting…",
            WschatConnectionState.Connected => $"connected as uid {client.Uid} from {client.Ip}" + (client.Room is { } room ? $", back in {room}" : ""),
            WschatConnectionState.Disconnected => "disconnected",
            _ => null,
        });
    }

    public void Users(UserListMessage list)
    {
        Line($"users   {list.Count} logged in");
        foreach (var user in list.Users)
        {
            var userId = user.UserId.Length > 0 ? $" ({user.UserId})" : "";
            Line($"        {Learn(user.Uid, user.Username)}{userId} since {Time(long.Parse(user.Time, CultureInfo.InvariantCulture))}");
        }
    }

    public void Note(string? text)
    {
        if (text is not null)
        {
            Line("#       " + text);
        }
    }

    public void Remember(long uid, string username) => _names[uid] = username;

    private string Describe(RoomEvent e)
    {
        var who = e.Username is { Length: > 0 } username ? Learn(e.Uid.ToString(CultureInfo.InvariantCulture), username) : Name(e.Uid);
        var counts = $"({e.UsersCount} here, {e.LoginedCount} logged in)";
        return e.Event switch
        {
            RoomEventNames.JoinRoom => $"*       {who} joined from {e.Ip} {counts}",
            RoomEventNames.LeaveRoom => $"*       {who} left {counts}",
            RoomEventNames.Login => $"*       {who} logged in {counts}",
            RoomEventNames.Logout => $"*       {who} logged out {counts}",
            _ => $"*       {who} {e.Event} {counts}",
        };
    }

    private string Learn(string uid, string username)
    {
        var id = long.Parse(uid, CultureInfo.InvariantCulture);
        if (username.Length > 0)
        {
            Remember(id, username);
        }

        return Name(id);
    }

    private string Name(long uid) => _names.TryGetValue(uid, out var name) ? $"{name} [{uid}]" : $"[{uid}]";

    private static string Time(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private void Line(string text)
    {
        lock (_writing)
        {
            output.WriteLine($"{DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {text}");
            output.Flush();
        }
    }
}
