using MassTransit;
using Npgsql;
using SagaDemo.Persistence.GroupCommit;

namespace SagaDemo.Persistence.Consumers;

/// <summary>
/// Puts every consumer of a receive endpoint behind a <see cref="TransactionalConsumerFilter{TMessage}"/> (a
/// transaction per message) or a <see cref="GroupedConsumerFilter{TMessage}"/> (the schema's group commit, for
/// consumers whose stores only write blindly). The filter sits on each consumer's own message pipe, so it runs inside
/// the endpoint's retry and in-memory outbox filters: every retry gets a fresh transaction or write set.
/// </summary>
public static class TransactionalConsumerConfiguration
{
    public static void UsePostgresTransactions(this IReceiveEndpointConfigurator endpoint, NpgsqlDataSource dataSource,
        TransactionalConsumerOptions options)
    {
        SqlIdentifier.Validate(options.Schema, "schema");
        endpoint.ConnectConsumerConfigurationObserver(new Observer(options, dataSource, null));
    }

    /// <summary>Like <see cref="UsePostgresTransactions"/>, through <paramref name="committer"/> (of the options' schema).</summary>
    public static void UsePostgresGroupCommit(this IReceiveEndpointConfigurator endpoint, GroupCommitter committer,
        TransactionalConsumerOptions options)
    {
        if (committer.Schema != SqlIdentifier.Validate(options.Schema, "schema"))
            throw new ArgumentException($"The committer is for schema {committer.Schema}, the endpoint's is {options.Schema}.", nameof(committer));
        endpoint.ConnectConsumerConfigurationObserver(new Observer(options, null, committer));
    }

    /// <summary>Inbox name of a consumer: stable across deployments as long as endpoint and class keep their names.</summary>
    public static string InboxConsumerName<TConsumer>(string endpoint) => $"{endpoint}/{typeof(TConsumer).Name}";

    sealed class Observer(TransactionalConsumerOptions options, NpgsqlDataSource? dataSource, GroupCommitter? committer)
        : IConsumerConfigurationObserver
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class
        {
            var inbox = InboxConsumerName<TConsumer>(options.Endpoint);
            IFilter<ConsumeContext<TMessage>> filter = committer is not null
                ? new GroupedConsumerFilter<TMessage>(committer, options, inbox)
                : new TransactionalConsumerFilter<TMessage>(dataSource!, options, inbox);
            configurator.Message(m => m.UseFilter(filter));
        }
    }
}
