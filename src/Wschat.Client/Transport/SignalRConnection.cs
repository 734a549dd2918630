using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Client.Protocol;
using Wschat.Contracts;

namespace Wschat.Client.Transport;

/// <summary>The hub over SignalR (JSON or MessagePack), via the official client.</summary>
internal sealed class SignalRConnection : IWschatConnection
{
    private readonly HubConnection _hub;

    public SignalRConnection(Uri serverUri, string? accessToken, bool messagePack)
    {
        var builder = new HubConnectionBuilder().WithUrl(serverUri, http =>
        {
            if (accessToken is { } token)
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }
        });
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(json => json.PayloadSerializerOptions = ClientJson.Options);
        }

        _hub = builder.Build();
        foreach (var (type, payloadType) in WschatMethods.ServerPayloadTypes)
        {
            _hub.On(type, [payloadType], Dispatch, type);
        }

        _hub.Closed += error =>
        {
            Closed?.Invoke(error);
            return Task.CompletedTask;
        };
    }

    public event Action<string, object>? MessageReceived;

    public event Action<Exception?>? Closed;

    public Task StartAsync(CancellationToken cancellationToken) => _hub.StartAsync(cancellationToken);

    public Task SendAsync(string type, object? payload, CancellationToken cancellationToken) =>
        _hub.SendCoreAsync(type, payload is null ? [] : [payload], cancellationToken);

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    private Task Dispatch(object?[] arguments, object type)
    {
        MessageReceived?.Invoke((string)type, arguments[0]!);
        return Task.CompletedTask;
    }
}
