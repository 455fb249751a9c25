using System.Runtime.InteropServices;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Native;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Subcommand (first argument) <c>kafka-dev</c>: runs the embedded mock cluster alone as a dev broker for services in
/// other processes. (The mock cluster's raw throughput is measured by tools/SagaDemo.KafkaBench.)
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
            default:
                return false;
        }
    }

    static async Task RunDevBrokerAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var options = new KafkaOptions();
        configuration.GetSection(KafkaOptions.Section).Bind(options);

        using var cluster = KafkaDevBroker.Start(options, RoleCatalog.Topics, configuration.GetValue("Brokers", 1));
        Console.Out.WriteLine(NativeLibraryLocator.EnsureLoaded());
        Console.Out.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
    }
}
