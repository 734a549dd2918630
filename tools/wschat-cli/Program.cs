using System.CommandLine;
using Wschat.Cli;
using Wschat.Client;

var server = new Argument<Uri>("server")
{
    Description = "ws://host:3000/ (raw wschat) or http://host:3000/hub (SignalR)",
    CustomParser = static result => new Uri(result.Tokens[0].Value, UriKind.Absolute),
};
var room = new Option<string?>("--room", "-r") { Description = "Room to join and watch" };
var name = new Option<string?>("--name", "-n") { Description = "Log in with this user name" };
var token = new Option<string?>("--token", "-t") { Description = "Admin token" };
var transport = new Option<WschatTransportKind?>("--transport") { Description = "Raw, SignalRJson or SignalRMessagePack (default: from the URL)" };
var linger = new Option<double>("--linger") { Description = "Seconds to keep watching after standard input ends", DefaultValueFactory = _ => 1 };
var file = new Option<FileInfo>("--file", "-f") { Description = "The word list: one word=replacement per line", Required = true };

var watch = new RootCommand("Watch a Wschat Hub room live and chat from standard input.\nInput: a line is a danmu; /text MSG, /to UID MSG, /users, /join ROOM, /leave, /quit.")
{
    server, room, name, token, transport, linger,
};
watch.SetAction((parse, cancellationToken) => RoomSession.RunAsync(
    Options(parse.GetValue(server)!, parse.GetValue(token), parse.GetValue(transport)),
    parse.GetValue(room),
    parse.GetValue(name),
    TimeSpan.FromSeconds(parse.GetValue(linger)),
    cancellationToken));

var setBadWords = new Command("set-bad-words", "Replace the prohibited-word list (needs an admin token).") { server, file, token, transport };
setBadWords.SetAction(async (parse, cancellationToken) =>
{
    await using var client = new WschatClient(Options(parse.GetValue(server)!, parse.GetValue(token), parse.GetValue(transport)));
    await client.ConnectAsync(cancellationToken);
    var rules = await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, cancellationToken);
    try
    {
        await client.SetBadWordsAsync(rules, cancellationToken);
    }
    catch (WschatException error)
    {
        await Console.Error.WriteLineAsync($"refused: {error.Code} {error.Message}");
        return 1;
    }

    Console.WriteLine($"set {rules.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} rules");
    return 0;
});
watch.Subcommands.Add(setBadWords);

return await watch.Parse(args).InvokeAsync();

static WschatClientOptions Options(Uri server, string? token, WschatTransportKind? transport) =>
    new() { ServerUri = server, AccessToken = token, Transport = transport };
