using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SagaDemo.Persistence.GroupCommit;

namespace SagaDemo.Persistence.Sagas;

public static class PostgresSagaRepositoryRegistration
{
    /// <summary>
    /// Stores the saga's instances in PostgreSQL (see <see cref="PostgresSagaRepositoryOptions{TSaga}"/>).
    /// Also registers <see cref="ISagaDeadlineQuery{TSaga}"/>, <see cref="IQuerySagaRepository{TSaga}"/>
    /// and <see cref="ILoadSagaRepository{TSaga}"/>. Uses the <see cref="NpgsqlDataSource"/> from DI
    /// (registered here from <see cref="PostgresSagaRepositoryOptions{TSaga}.ConnectionString"/> if none is).
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<PostgresSagaRepositoryOptions<TSaga>> configure)
        where TSaga : class, ISagaVersion
    {
        var options = new PostgresSagaRepositoryOptions<TSaga>();
        configure(options);
        SqlIdentifier.Validate(options.Schema, "schema");
        SqlIdentifier.Validate(options.Table, "table");
        if (options.UseOutbox && options.Destination is null)
            throw new ArgumentException("A saga repository with an outbox needs the Destination of each message type.");

        configurator.Repository(services =>
        {
            if (options.ConnectionString is { } connectionString)
                services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.AddSingleton(options);
            services.AddSingleton(new SagaDocumentStore<TSaga>(options));
            services.AddSingleton<ISagaDeadlineQuery<TSaga>, PostgresSagaDeadlineQuery<TSaga>>();
            services.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TSaga>>();
            services.TryAddSingleton<GroupCommitters>();
            services.RegisterSagaRepository<TSaga, SagaUnitOfWork<TSaga>,
                SagaConsumeContextFactory<SagaUnitOfWork<TSaga>, TSaga>, PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return configurator;
    }
}
