// The sample of src/Wschat.Client/README.md: dotnet run --project samples/QuickStart [server-url]
using Wschat.Client;
using Wschat.Contracts;

var server = new Uri(args.Length > 0 ? args[0] : "http://localhost:3000/hub");

await using var client = new WschatClient(server); // or ws://localhost:3000/ for raw wschat
client.DanmuReceived += (_, danmu) => Console.WriteLine($"{danmu.Username}: {danmu.Text}");
await client.ConnectAsync();
await client.LoginAsync(new LoginRequest { Uname = "bot" });
var joined = await client.JoinAsync("videoroom_001");
Console.WriteLine($"{joined.UsersCount} in the room");
await client.SendDanmuAsync("测试发送弹幕");

// Give the room a moment to echo the danmu back before the sample ends.
await Task.Delay(TimeSpan.FromSeconds(1));
