using Microsoft.Extensions.Options;
using Wschat.Hub.Hosting;

try
{
    await WschatServer.Build(args).RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException or AggregateException { InnerException: OptionsValidationException } or InvalidDataException)
{
    // A bad configuration value (options, or lblserver.conf): the message names each key; a stack trace would only bury it.
    await Console.Error.WriteLineAsync($"Invalid configuration: {ex.Message}");
    return 1;
}
