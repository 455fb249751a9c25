using System.Net.Http.Json;
using System.Text.Json;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Testing;
using SagaDemo.Testing.Processes;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// The system the fault suite breaks: every role in its own SagaDemo.Host process, on durable state in a
/// throwaway PostgreSQL, and on a mock Kafka cluster hosted in this test process, so the suite can take its
/// broker down and inject request errors while the services keep running.
/// </summary>
public sealed class FaultSystem : IAsyncDisposable
{
    const int BrokerId = 1;

    FaultSystem(PostgresServer postgres, string database, MockKafkaCluster cluster)
    {
        Postgres = postgres;
        Database = database;
        Cluster = cluster;
    }

    public PostgresServer Postgres { get; }

    /// <summary>Connection string of the database every service keeps its schema in.</summary>
    public string Database { get; }

    public MockKafkaCluster Cluster { get; }

    public string Bootstrap => Cluster.BootstrapServers;

    /// <summary>Partitions of every topic (the dev broker's default, as KafkaDevBroker creates them).</summary>
    public int Partitions { get; } = KafkaOptions.DefaultPartitions;

    public SagaDemoProcesses Processes { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public ServiceProcess this[string role] => Processes[role];

    /// <summary>A producer that writes as the system's services do, signed with their keys.</summary>
    public RecordFeed Feed() => new(Bootstrap,
        new RecordSignatures(RoleCatalog.Topics, SigningKeyRing.Create(new SigningOptions { Keys = new(Processes.SigningKeys) }, [], false)));

    public static async Task<FaultSystem> StartAsync()
    {
        var postgres = await PostgresServer.StartNewAsync();
        MockKafkaCluster? cluster = null;
        try
        {
            var database = await postgres.CreateDatabaseAsync("fault_suite");
            // Every topic and its dead-letter topic up front: the mock cluster cannot serve CreateTopics.
            cluster = KafkaDevBroker.Start(new KafkaOptions(), RoleCatalog.Topics);
            var system = new FaultSystem(postgres, database, cluster);
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["Approval:Delay"] = "00:00:00",
                // The mock broker never wakes a waiting fetch when a record arrives: keep each hop short.
                ["Kafka:FetchWaitMax"] = "00:00:00.010",
            };
            system.Processes = await SagaDemoProcesses.StartOnBrokerAsync(cluster.BootstrapServers, SagaDemoProcesses.OneProcessPerRole, settings);
            system.Api = system.Processes["api"].CreateClient();
            return system;
        }
        catch
        {
            cluster?.Dispose();
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Like a crashed broker: its listener and connections close; clients see the cluster gone.</summary>
    public void BrokerDown() => Cluster.SetBrokerDown(BrokerId);

    public void BrokerUp() => Cluster.SetBrokerUp(BrokerId);

    public async Task<Dictionary<string, (int OnHand, int Reserved)>> InventoryAsync()
    {
        using var warehouse = Processes["warehouse"].CreateClient();
        var levels = await warehouse.GetFromJsonAsync<JsonElement>("/inventory");
        return levels.EnumerateArray().ToDictionary(l => l.GetProperty("sku").GetString()!,
            l => (l.GetProperty("onHand").GetInt32(), l.GetProperty("reserved").GetInt32()));
    }

    /// <summary>Every process's last output lines and the PostgreSQL log's tail, for a failure message.</summary>
    public string Output()
    {
        var log = Postgres.ReadLog();
        return $"{Processes?.Output()}\n\n=== postgres ===\n{log[Math.Max(0, log.Length - 4000)..]}";
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (Processes is not null)
            await Processes.DisposeAsync();
        Cluster.Dispose();
        await Postgres.DisposeAsync();
    }
}
