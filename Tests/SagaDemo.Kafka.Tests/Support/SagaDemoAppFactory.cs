using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Testing;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>The real Host in process: embedded Kafka (its default transport), no approval delay, extra settings.</summary>
public sealed class SagaDemoAppFactory(IReadOnlyDictionary<string, string>? settings = null) : SagaDemoHostFactory(QuickWith(settings))
{
    /// <summary>The embedded cluster's bootstrap servers (starts the host).</summary>
    public string Bootstrap => Services.GetRequiredService<KafkaBootstrap>().BootstrapServers;
}
