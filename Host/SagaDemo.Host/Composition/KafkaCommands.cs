using System.Runtime.InteropServices;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Native;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Subcommands (first argument): <c>kafka-dev</c> runs the embedded mock cluster alone as a dev broker for
/// services in other processes; <c>kafka-bench [records] [recordBytes] [partitions] [--json]</c> measures the mock cluster's raw
/// throughput.
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
                RunBenchmark(args[1..]);
                return true;
            default:
                return false;
        }
    }

    // kafka-bench [records] [recordBytes] [partitions] [--json]: record size and partitions should match the saga's records
    // (value + headers) and topics, so the ceiling is measured on the same layout.
    static void RunBenchmark(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var records = numbers.Length > 0 && int.TryParse(numbers[0], out var n) ? n : 100_000;
        var recordBytes = numbers.Length > 1 && int.TryParse(numbers[1], out var b) ? b : 200;
        var partitions = numbers.Length > 2 && int.TryParse(numbers[2], out var p) && p > 0 ? p : KafkaOptions.EmbeddedPartitions;
        var result = MockClusterBenchmark.Run(records, recordBytes, partitions);
        Console.WriteLine(args.Contains("--json") ? result.ToJson() : result.ToString());
    }

    static async Task RunDevBrokerAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new KafkaOptions();
        configuration.GetSection(KafkaOptions.Section).Bind(options);

        using var cluster = KafkaDevBroker.Start(options, TopicCatalog.Default, configuration.GetValue("Brokers", 1));
        Console.Out.WriteLine(NativeLibraryLocator.EnsureLoaded());
        Console.Out.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
    }
}
