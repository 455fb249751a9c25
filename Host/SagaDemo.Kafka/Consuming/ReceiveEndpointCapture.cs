using MassTransit;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Records what MassTransit's ConfigureEndpoints would put on each receive endpoint (consumers, sagas,
/// definitions with their retry and outbox) without creating a transport endpoint, so the Kafka rider
/// can build exactly those endpoints as dispatchers.
/// </summary>
sealed class ReceiveEndpointCapture : IReceiveConfigurator<IReceiveEndpointConfigurator>
{
    readonly IRegistrationContext _context;

    public ReceiveEndpointCapture(IRegistrationContext context) => _context = context;

    public Dictionary<string, List<Action<IReceiveEndpointConfigurator>>> Endpoints { get; } = new(StringComparer.Ordinal);

    public void ReceiveEndpoint(string queueName, Action<IReceiveEndpointConfigurator> configureEndpoint) =>
        Add(queueName, configureEndpoint);

    public void ReceiveEndpoint(IEndpointDefinition definition, IEndpointNameFormatter? endpointNameFormatter,
        Action<IReceiveEndpointConfigurator>? configureEndpoint = null)
    {
        var name = definition.GetEndpointName(endpointNameFormatter ?? DefaultEndpointNameFormatter.Instance);
        Add(name, cfg =>
        {
            definition.Configure(cfg, _context);
            configureEndpoint?.Invoke(cfg);
        });
    }

    public ConnectHandle ConnectEndpointConfigurationObserver(IEndpointConfigurationObserver observer) => new EmptyHandle();

    void Add(string name, Action<IReceiveEndpointConfigurator> configure)
    {
        if (!Endpoints.TryGetValue(name, out var list))
            Endpoints[name] = list = [];
        list.Add(configure);
    }

    sealed class EmptyHandle : ConnectHandle
    {
        public void Disconnect() { }
        public void Dispose() { }
    }
}
