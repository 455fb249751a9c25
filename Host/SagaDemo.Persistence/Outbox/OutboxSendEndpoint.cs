using System.Reflection;
using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Initializers;
using MassTransit.Util;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// A send endpoint that does not send: it runs the send pipe (so MassTransit fills message id,
/// conversation, initiator and custom headers as usual) and turns the result into an outbox row.
/// </summary>
public sealed class OutboxSendEndpoint(IOutboxCollector collector, Func<Type, string> destination) : ISendEndpoint
{
    static readonly MethodInfo CaptureObjectMethod =
        typeof(OutboxSendEndpoint).GetMethod(nameof(CaptureObject), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public Task Send<T>(T message, CancellationToken cancellationToken = default) where T : class =>
        Capture(message, null, cancellationToken);

    public Task Send<T>(T message, IPipe<SendContext<T>> pipe, CancellationToken cancellationToken = default) where T : class =>
        Capture(message, pipe.Send, cancellationToken);

    public Task Send<T>(T message, IPipe<SendContext> pipe, CancellationToken cancellationToken = default) where T : class =>
        Capture<T>(message, context => pipe.Send(context), cancellationToken);

    public Task Send(object message, CancellationToken cancellationToken = default) =>
        Send(message, message.GetType(), cancellationToken);

    public Task Send(object message, Type messageType, CancellationToken cancellationToken = default) =>
        (Task)CaptureObjectMethod.MakeGenericMethod(messageType).Invoke(this, [message, null, cancellationToken])!;

    public Task Send(object message, IPipe<SendContext> pipe, CancellationToken cancellationToken = default) =>
        Send(message, message.GetType(), pipe, cancellationToken);

    public Task Send(object message, Type messageType, IPipe<SendContext> pipe, CancellationToken cancellationToken = default) =>
        (Task)CaptureObjectMethod.MakeGenericMethod(messageType).Invoke(this, [message, pipe, cancellationToken])!;

    public Task Send<T>(object values, CancellationToken cancellationToken = default) where T : class =>
        CaptureValues<T>(values, null, cancellationToken);

    public Task Send<T>(object values, IPipe<SendContext<T>> pipe, CancellationToken cancellationToken = default) where T : class =>
        CaptureValues(values, pipe, cancellationToken);

    public Task Send<T>(object values, IPipe<SendContext> pipe, CancellationToken cancellationToken = default) where T : class =>
        CaptureValues<T>(values, Pipe.Execute<SendContext<T>>(context => pipe.Send(context)), cancellationToken);

    public ConnectHandle ConnectSendObserver(ISendObserver observer) => new EmptyConnectHandle();

    Task CaptureObject<T>(object message, IPipe<SendContext>? pipe, CancellationToken cancellationToken) where T : class =>
        Capture((T)message, pipe is null ? null : context => pipe.Send(context), cancellationToken);

    async Task CaptureValues<T>(object values, IPipe<SendContext<T>>? pipe, CancellationToken cancellationToken) where T : class
    {
        var tuple = await MessageInitializerCache<T>.InitializeMessage(values, pipe ?? Pipe.Empty<SendContext<T>>(), cancellationToken);
        await Capture(tuple.Message, tuple.Pipe.Send, cancellationToken);
    }

    async Task Capture<T>(T message, Func<SendContext<T>, Task>? pipe, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = new MessageSendContext<T>(message, cancellationToken);
        collector.ApplyConsumeContextHeaders(context);
        if (pipe is not null)
            await pipe(context);

        var messageType = message.GetType();
        var messageId = context.MessageId ?? NewId.NextGuid();
        var headers = new Dictionary<string, string> { [OutboxHeaders.MessageId] = messageId.ToString() };
        AddIfPresent(headers, OutboxHeaders.CorrelationId, context.CorrelationId);
        AddIfPresent(headers, OutboxHeaders.ConversationId, context.ConversationId);
        AddIfPresent(headers, OutboxHeaders.InitiatorId, context.InitiatorId);
        if (context.SourceAddress is not null)
            headers[OutboxHeaders.SourceAddress] = context.SourceAddress.ToString();
        foreach (var header in context.Headers.GetAll())
            if (header.Value is string or Guid or int or long or bool)
                headers[header.Key] = Convert.ToString(header.Value, System.Globalization.CultureInfo.InvariantCulture)!;
        // The relay runs later under its own activity: keep the trace of the work that caused the message.
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity)
        {
            headers.TryAdd(TraceParentHeader, activity.Id!);
            if (!string.IsNullOrEmpty(activity.TraceStateString))
                headers.TryAdd(TraceStateHeader, activity.TraceStateString);
        }

        collector.Add(new OutboxMessage(messageId, destination(messageType), MessageDestinations.TypeName(messageType),
            collector.Key, headers, JsonSerializer.Serialize(message, messageType, PersistenceJson.Options)));
    }

    const string TraceParentHeader = "traceparent";
    const string TraceStateHeader = "tracestate";

    static void AddIfPresent(Dictionary<string, string> headers, string name, Guid? value)
    {
        if (value is { } id)
            headers[name] = id.ToString();
    }
}
