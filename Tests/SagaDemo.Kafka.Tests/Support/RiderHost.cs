using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SagaDemo.Contracts;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Registration;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>A process-like host: MassTransit in Kafka mode with the test consumer, fed by the rider.</summary>
public sealed class RiderHost : IAsyncDisposable
{
    public IHost Host { get; }
    public EffectLog Log { get; }

    RiderHost(IHost host, EffectLog log)
    {
        Host = host;
        Log = log;
    }

    public static async Task<RiderHost> StartAsync(MockKafkaCluster cluster, TestTopics topics, EffectLog? log = null,
        TestBehaviour? behaviour = null, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null,
        bool trimCommittedRecords = false)
    {
        log ??= new EffectLog();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
            builder.Logging.AddProvider(logs);
        // SAGADEMO_TEST_LOGS=1: the rider's log on the console; =debug: with librdkafka's own debug lines.
        if (Environment.GetEnvironmentVariable("SAGADEMO_TEST_LOGS") is "1" or "debug")
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            // A filter, not a minimum level: the copied appsettings.json sets its own levels, which would win.
            builder.Logging.AddFilter("SagaDemo.Kafka", Environment.GetEnvironmentVariable("SAGADEMO_TEST_LOGS") == "debug" ? LogLevel.Debug : LogLevel.Information);
        }
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:Partitions"] = "4",
            ["Kafka:StatisticsInterval"] = "00:00:01",
            [$"Kafka:Endpoints:{TestCommandConsumerDefinition.EndpointGroup}:Concurrency"] = "4",
            [$"Kafka:Endpoints:{TestCommandConsumerDefinition.EndpointGroup}:CheckpointInterval"] = "00:00:00.200",
        });
        if (Environment.GetEnvironmentVariable("SAGADEMO_TEST_LOGS") == "debug")
            builder.Configuration["Kafka:Debug"] = Environment.GetEnvironmentVariable("SAGADEMO_TEST_KAFKA_DEBUG") ?? "consumer,cgrp,topic,fetch";
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(behaviour ?? new TestBehaviour());
        builder.Services.AddSingleton(new KafkaBootstrap(cluster, trimCommittedRecords));
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<TestCommandConsumer, TestCommandConsumerDefinition>();
            x.UsingInMemory((context, cfg) => cfg.UseKafkaRider(context));
        });
        builder.Services.AddKafkaRider(builder.Configuration, topics.Catalog,
            [new TopicEndpoint(TestCommandConsumerDefinition.EndpointGroup, [topics.Commands])]);

        var host = builder.Build();
        await host.StartAsync();
        return new RiderHost(host, log);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(TimeSpan.FromSeconds(30));
        Host.Dispose();
    }
}

/// <summary>Fresh topic names per test, mapped to the test message types.</summary>
public sealed class TestTopics
{
    /// <param name="more">Further topics (e.g. for contract types) the rider should produce to.</param>
    public TestTopics(params TopicDefinition[] more)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        Commands = $"test-commands-{suffix}";
        Echoes = $"test-echoes-{suffix}";
        Catalog = new TopicCatalog([new TopicDefinition(Commands, [typeof(TestCommand)]), new TopicDefinition(Echoes, [typeof(TestEcho)]), .. more]);
    }

    public string Commands { get; }
    public string Echoes { get; }
    public string DeadLetters => TopicCatalog.DeadLetterTopic(Commands);
    public TopicCatalog Catalog { get; }
}
