using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SagaDemo.Hosting.Endpoints;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Persistence.Tests;

/// <summary>
/// The real state machines on MassTransit's test harness (in-memory transport), with the PostgreSQL
/// saga repository. With the outbox on, a relay publishes the outbox rows back onto the bus.
/// </summary>
public sealed class SagaTestHost : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _relays = [];

    SagaTestHost(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }
    public IServiceProvider Services => _provider;

    public SagaDocumentStore<UserRegistrationState> Users => _provider.GetRequiredService<SagaDocumentStore<UserRegistrationState>>();
    public SagaDocumentStore<OrderState> Orders => _provider.GetRequiredService<SagaDocumentStore<OrderState>>();

    public static async Task<SagaTestHost> StartAsync(string connectionString, bool useOutbox = false, bool useInbox = false,
        TimeSpan? approvalTimeout = null, SagaConcurrencyMode concurrency = SagaConcurrencyMode.Optimistic,
        bool runRelays = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.Configure<UserRegistrationOptions>(o => o.ApprovalTimeout = approvalTimeout ?? TimeSpan.FromMinutes(5));
        services.AddSagaDemoPostgres(connectionString);
        services.AddMassTransitTestHarness(x =>
        {
            x.AddSagaStateMachine<UserRegistrationStateMachine, UserRegistrationState, SagaEndpointDefinition<UserRegistrationState>>()
                .PostgresRepository(o =>
                {
                    o.Schema = SagaDemoSchemas.Users.Name;
                    o.Table = SagaDemoSchemas.UserRegistrationSagaTable;
                    o.Deadline = s => s.ApprovalDeadline;
                    o.UseOutbox = useOutbox;
                    o.UseInbox = useInbox;
                    o.ConcurrencyMode = concurrency;
                    o.Destination = RoleCatalog.Destinations.TopicOf;
                });
            x.AddSagaStateMachine<OrderStateMachine, OrderState, SagaEndpointDefinition<OrderState>>()
                .PostgresRepository(o =>
                {
                    o.Schema = SagaDemoSchemas.Orders.Name;
                    o.Table = SagaDemoSchemas.OrderSagaTable;
                    o.UseOutbox = useOutbox;
                    o.UseInbox = useInbox;
                    o.ConcurrencyMode = concurrency;
                    o.Destination = RoleCatalog.Destinations.TopicOf;
                });
        });
        var host = new SagaTestHost(services.BuildServiceProvider());
        await host.Harness.Start();
        if (useOutbox && runRelays)
        {
            var sink = new BusOutboxSink(host._provider.GetRequiredService<IBus>(), RoleCatalog.Destinations);
            var dataSource = host._provider.GetRequiredService<NpgsqlDataSource>();
            var options = new OutboxRelayOptions { PollInterval = TimeSpan.FromMilliseconds(200) };
            foreach (var schema in new[] { SagaDemoSchemas.Users.Name, SagaDemoSchemas.Orders.Name })
                host._relays.Add(new OutboxRelay(dataSource, schema, sink, options).RunAsync(host._stop.Token));
        }
        return host;
    }

    public Task<UserRegistrationState?> LoadUserAsync(Guid id) => LoadAsync(Users, id);
    public Task<OrderState?> LoadOrderAsync(Guid id) => LoadAsync(Orders, id);

    async Task<TSaga?> LoadAsync<TSaga>(SagaDocumentStore<TSaga> store, Guid id) where TSaga : class, ISagaVersion
    {
        await using var connection = await _provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await store.LoadAsync(connection, null, id, forUpdate: false, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_relays);
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
