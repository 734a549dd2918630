using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>The fields of a <c>login</c> request, as the contract names them on the wire.</summary>
internal sealed record Profile(string Uname, string Avatar, string LoginId, string Info)
{
    public object Request => new { uname = Uname, avatar = Avatar, loginid = LoginId, info = Info };

    /// <summary>A distinct profile with Chinese text, as the vendor's examples have.</summary>
    public static Profile Of(string name) => new("用户" + name, $"https://img.example/{name}.png", "uid" + name, name + "这家伙很懒,什么也没说");
}

internal static class ProfileClients
{
    /// <summary>Logs in and consumes the success reply (an event follows when the client is in a room).</summary>
    public static async Task LogInAsync(this IChatClient client, Profile profile)
    {
        await client.SendAsync("login", profile.Request);
        WireAssert.Success(await client.ReceiveAsync("login"), "login");
    }

    /// <summary>
    /// Logs in a member of a room: the reply, then the login event reaching each of the room's
    /// <paramref name="members"/> (the client among them, all listed), counted as logged in.
    /// </summary>
    public static async Task LogInAsync(this IChatClient client, Profile profile, IChatClient[] members, int loginedCount)
    {
        await client.LogInAsync(profile);
        await WireAssert.EventReachesAsync(members, "login", client.Uid, members.Length, loginedCount);
    }
}
