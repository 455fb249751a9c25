using System.Runtime.InteropServices;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Subcommands (first argument): <c>kafka-dev</c> runs the embedded mock cluster alone as a dev broker for
/// services in other processes; <c>kafka-bench</c> measures the mock cluster's raw throughput.
/// </summary>
public static class KafkaCommands
{
    public static async Task<bool> TryRunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "kafka-dev":
                await RunDevBrokerAsync(args[1..]);
                return true;
            case "kafka-bench":
                var records = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 100_000;
                Console.WriteLine(MockClusterBenchmark.Run(records));
                return true;
            default:
                return false;
        }
    }

    static async Task RunDevBrokerAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new KafkaOptions();
        configuration.GetSection(KafkaOptions.Section).Bind(options);

        using var cluster = KafkaDevBroker.Start(options, TopicCatalog.Default, configuration.GetValue("Brokers", 1));
        Console.Out.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
    }
}
