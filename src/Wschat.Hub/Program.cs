using Wschat.Hub.Hosting;

await WschatServer.Build(args).RunAsync();
