using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// One MassTransit receive pipeline per endpoint name, run on raw Kafka records. Built like
/// MassTransit's own ReceiveEndpointDispatcherFactory (faults rethrown to the caller, no fault events,
/// no consume topology, i.e. no in-memory exchange bindings), but holding only the consumers and sagas
/// registered for that endpoint instead of all of them.
/// </summary>
public sealed class EndpointDispatchers(IServiceProvider provider)
{
    readonly object _gate = new();
    // Read without the lock on every record (built once per endpoint, under the lock).
    readonly ConcurrentDictionary<string, IReceiveEndpointDispatcher> _dispatchers = new(StringComparer.Ordinal);
    Dictionary<string, List<Action<IReceiveEndpointConfigurator>>>? _captured;

    /// <summary>Whether any consumer or saga is registered for the endpoint (a topic endpoint without one is not started).</summary>
    public bool IsRegistered(string endpointName)
    {
        lock (_gate)
            return Captured().ContainsKey(endpointName);
    }

    public IReceiveEndpointDispatcher For(string endpointName) =>
        _dispatchers.TryGetValue(endpointName, out var built) ? built : Build(endpointName);

    IReceiveEndpointDispatcher Build(string endpointName)
    {
        lock (_gate)
        {
            if (_dispatchers.TryGetValue(endpointName, out var existing))
                return existing;

            if (!Captured().TryGetValue(endpointName, out var configure))
                throw new InvalidOperationException(
                    $"No MassTransit consumer or saga is registered for receive endpoint '{endpointName}'.");

            var bus = provider.GetRequiredService<Bind<IBus, IBusInstance>>().Value;
            var endpointConfiguration = bus.HostConfiguration.CreateReceiveEndpointConfiguration(endpointName);
            var configurator = (IReceiveEndpointConfigurator)endpointConfiguration;
            configurator.ThrowOnSkippedMessages();
            configurator.RethrowFaultedMessages();
            configurator.PublishFaults = false;
            configurator.ConfigureConsumeTopology = false;
            // Kafka values are plain JSON of the message; the type comes from the MT-MessageType header we set.
            configurator.UseRawJsonDeserializer(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.CopyHeaders, isDefault: true);
            // The captured actions are what ConfigureEndpoints does for this endpoint, including the
            // registered configure-endpoint callbacks: applying those here as well would run them twice.
            foreach (var action in configure)
                action(configurator);

            endpointConfiguration.Validate().ThrowIfContainsFailure($"Kafka endpoint {endpointName} is invalid:");
            var dispatcher = new ReceiveEndpointDispatcher(endpointConfiguration.CreateReceiveEndpointContext());
            _dispatchers[endpointName] = dispatcher;
            return dispatcher;
        }
    }

    Dictionary<string, List<Action<IReceiveEndpointConfigurator>>> Captured()
    {
        if (_captured is null)
        {
            var registration = provider.GetRequiredService<IBusRegistrationContext>();
            var capture = new ReceiveEndpointCapture(registration);
            registration.ConfigureEndpoints<IReceiveEndpointConfigurator>(capture, provider.GetService<IEndpointNameFormatter>());
            _captured = capture.Endpoints;
        }
        return _captured;
    }
}
