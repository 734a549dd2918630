using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Contracts;

namespace Wschat.Tests.Infrastructure;

public enum HubProtocolKind
{
    Json,
    MessagePack,
}

/// <summary>
/// A typed .NET SignalR client of the hub. Every client method is received as its contract
/// record and re-serialized with the contract's JSON settings, so tests assert one shape for
/// every protocol.
/// </summary>
public sealed class SignalRClient : IChatClient
{
    private static readonly JsonSerializerOptions s_contractJson = ContractSerializer.CreateOptions(Wschat.RawAdapter.Protocol.Utf8PassthroughJavaScriptEncoder.Instance);

    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();

    private SignalRClient(HubConnection connection)
    {
        Connection = connection;
        Listen<SetUserIdMessage>(WschatMethods.SetUserId);
        Listen<HelloMessage>(WschatMethods.Hello);
        Listen<RoomEvent>(WschatMethods.Event);
        Listen<DanmuMessage>(WschatMethods.Danmu);
        Listen<ChatMessage>(WschatMethods.Text);
        Listen<ResultMessage>(WschatMethods.Login);
        Listen<ResultMessage>(WschatMethods.Logout);
        Listen<UserListMessage>(WschatMethods.UserList);
        Listen<ChatMessage>(WschatMethods.SendTo);
        Listen<ErrorMessage>(WschatMethods.Error);
        Listen<HistoryMessage>(WschatMethods.History);
        Listen<OffsetMessage>(WschatMethods.Offset);
    }

    public HubConnection Connection { get; }

    public long Uid { get; private set; }

    /// <param name="configure">Further transport settings (e.g. which server certificate to accept).</param>
    public static async Task<SignalRClient> ConnectAsync(Uri hubUri, HubProtocolKind protocol, string? accessToken = null, Action<HttpConnectionOptions>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(hubUri, options =>
        {
            if (accessToken is not null)
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            }

            configure?.Invoke(options);
        });
        if (protocol == HubProtocolKind.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        else
        {
            builder.AddJsonProtocol(json => json.PayloadSerializerOptions = s_contractJson);
        }

        var client = new SignalRClient(builder.Build());
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        await client.Connection.StartAsync(timeout.Token);
        client.Uid = (await client.ReceiveAsync(WschatMethods.SetUserId)).GetProperty("uid").GetInt64();
        return client;
    }

    public Task SendAsync(string type, object? payload = null) => InvokeAsync(type, payload);

    public async Task InvokeAsync(string method, object? payload = null)
    {
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        if (payload is null)
        {
            await Connection.InvokeCoreAsync(method, [], timeout.Token);
        }
        else
        {
            await Connection.InvokeCoreAsync(method, [payload], timeout.Token);
        }
    }

    /// <summary>The next client method call, as <c>{"type":method,...payload}</c>; fails if not of <paramref name="type"/>.</summary>
    public async Task<JsonElement> ReceiveAsync(string? type = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? RawClient.Timeout);
        JsonElement message;
        try
        {
            message = await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message{(type is null ? "" : $" of type {type}")} within {within ?? RawClient.Timeout}");
        }

        if (type is not null)
        {
            Assert.Equal(type, message.GetProperty("type").GetString());
        }

        return message;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Listen<T>(string method) => Connection.On<T>(method, payload =>
    {
        var fields = JsonSerializer.SerializeToElement(payload, s_contractJson);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("type", method);
            foreach (var field in fields.EnumerateObject())
            {
                field.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        _received.Writer.TryWrite(JsonDocument.Parse(stream.ToArray()).RootElement.Clone());
    });
}
