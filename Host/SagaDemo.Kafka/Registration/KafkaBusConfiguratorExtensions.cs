using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Producing;

namespace SagaDemo.Kafka.Registration;

public static class KafkaBusConfiguratorExtensions
{
    /// <summary>
    /// Kafka mode for a bus: every publish of a contract message goes to its Kafka topic (awaiting Kafka's
    /// acknowledgement). Do NOT call ConfigureEndpoints on this bus: consumers and sagas are fed by the rider's
    /// topic endpoints, and without bound receive endpoints the bus's own (in-memory) exchanges keep nothing.
    /// </summary>
    public static void UseKafkaRider(this IBusFactoryConfigurator configurator, IRegistrationContext context)
    {
        var filter = context.GetRequiredService<KafkaPublishFilter>();
        configurator.ConfigurePublish(p => p.UseFilter(filter));
    }
}
