using MinimalSignalR;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSignalR().AddMessagePackProtocol();
var app = builder.Build();
app.MapHub<RoomHub>("/hub");
app.Run();
