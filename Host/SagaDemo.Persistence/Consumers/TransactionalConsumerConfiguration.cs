using MassTransit;
using Npgsql;

namespace SagaDemo.Persistence.Consumers;

/// <summary>
/// Puts every consumer of a receive endpoint behind a <see cref="TransactionalConsumerFilter{TMessage}"/>.
/// The filter sits on each consumer's own message pipe, so it runs inside the endpoint's retry and
/// in-memory outbox filters: every retry gets a fresh transaction.
/// </summary>
public static class TransactionalConsumerConfiguration
{
    public static void UsePostgresTransactions(this IReceiveEndpointConfigurator endpoint, NpgsqlDataSource dataSource,
        TransactionalConsumerOptions options)
    {
        SqlIdentifier.Validate(options.Schema, "schema");
        endpoint.ConnectConsumerConfigurationObserver(new Observer(dataSource, options));
    }

    /// <summary>Inbox name of a consumer: stable across deployments as long as endpoint and class keep their names.</summary>
    public static string InboxConsumerName<TConsumer>(string endpoint) => $"{endpoint}/{typeof(TConsumer).Name}";

    sealed class Observer(NpgsqlDataSource dataSource, TransactionalConsumerOptions options) : IConsumerConfigurationObserver
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class
        {
            var filter = new TransactionalConsumerFilter<TMessage>(dataSource, options, InboxConsumerName<TConsumer>(options.Endpoint));
            configurator.Message(m => m.UseFilter(filter));
        }
    }
}
