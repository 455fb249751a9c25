using MassTransit;
using MassTransit.Context;
using MassTransit.Util;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// Swapped into a consume context (the way MassTransit's in-memory outbox does it) so that every
/// publish and send made through that context, or any context created from it, lands in the outbox.
/// </summary>
public sealed class OutboxReceiveContext : ReceiveContextProxy
{
    public OutboxReceiveContext(ReceiveContext context, IOutboxCollector collector, Func<Type, string> destination)
        : base(context)
    {
        PublishEndpointProvider = new PublishProvider(new OutboxSendEndpoint(collector, destination));
        SendEndpointProvider = new SendProvider(collector);
    }

    public override IPublishEndpointProvider PublishEndpointProvider { get; }

    public override ISendEndpointProvider SendEndpointProvider { get; }

    sealed class PublishProvider(ISendEndpoint endpoint) : IPublishEndpointProvider
    {
        public Task<ISendEndpoint> GetPublishSendEndpoint<T>() where T : class => Task.FromResult(endpoint);

        public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => new EmptyConnectHandle();
    }

    // A send names its endpoint: the address becomes the destination.
    sealed class SendProvider(IOutboxCollector collector) : ISendEndpointProvider
    {
        public Task<ISendEndpoint> GetSendEndpoint(Uri address) =>
            Task.FromResult<ISendEndpoint>(new OutboxSendEndpoint(collector, _ => address.ToString()));

        public ConnectHandle ConnectSendObserver(ISendObserver observer) => new EmptyConnectHandle();
    }
}
