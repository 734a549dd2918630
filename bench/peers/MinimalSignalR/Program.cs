using MinimalSignalR;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var signalR = builder.Services.AddSignalR().AddMessagePackProtocol();

// --redis=HOST:PORT: several nodes on SignalR's own Redis backplane (RedisHubLifetimeManager), nothing else.
if (builder.Configuration["Redis"] is { Length: > 0 } redis)
{
    signalR.AddStackExchangeRedis(redis);
}

var app = builder.Build();
app.MapHub<RoomHub>("/hub");
app.Run();
