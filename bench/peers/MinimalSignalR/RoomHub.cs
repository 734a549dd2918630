using Microsoft.AspNetCore.SignalR;

namespace MinimalSignalR;

internal sealed class RoomHub : Hub
{
    public async Task Join(RoomRequest request)
    {
        Context.Items["room"] = request.room;
        await Groups.AddToGroupAsync(Context.ConnectionId, request.room);
    }

    public Task Danmu(TextRequest request) =>
        Clients.Group((string)Context.Items["room"]!).SendAsync("danmu", new DanmuMessage(request.text, Context.ConnectionId, "", ""));
}

// Public (MessagePack's dynamic resolver needs it) with lowercase names: the wire names for JSON and MessagePack alike.
#pragma warning disable IDE1006
public sealed record RoomRequest(string room);

public sealed record TextRequest(string text);

public sealed record DanmuMessage(string text, string uid, string avatar, string username);
#pragma warning restore IDE1006
