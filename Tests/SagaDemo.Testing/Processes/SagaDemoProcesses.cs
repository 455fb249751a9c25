namespace SagaDemo.Testing.Processes;

/// <summary>
/// The system as separate processes on one machine: a dev broker (<c>kafka-dev</c>, or a broker the test owns)
/// and one SagaDemo.Host process per role group, each pointed at the broker (and at PostgreSQL when a
/// connection string is given). Dispose kills every process, whatever state the test left them in.
/// </summary>
public sealed class SagaDemoProcesses : IAsyncDisposable
{
    /// <summary>Every role in its own process.</summary>
    public static readonly IReadOnlyList<string> OneProcessPerRole = ["api", "users", "approval", "orders", "warehouse", "payment", "statistics"];

    readonly Dictionary<string, ServiceProcess> _services = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The record-signing key of every service, random per system and handed to every process in its environment
    /// (<c>Kafka__Signing__Keys__&lt;service&gt;</c>), as the Helm chart's Secret would. A test that writes records
    /// as one of the services signs them with these.
    /// </summary>
    public IReadOnlyDictionary<string, string> SigningKeys { get; } = OneProcessPerRole.ToDictionary(r => r,
        _ => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    SagaDemoProcesses(DevBroker? broker, string bootstrapServers)
    {
        Broker = broker;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The <c>kafka-dev</c> child process; null when the services use a broker the caller owns.</summary>
    public DevBroker? Broker { get; }

    public string BootstrapServers { get; }

    public IReadOnlyCollection<ServiceProcess> Services => _services.Values;

    /// <summary>The process whose roles include <paramref name="role"/>.</summary>
    public ServiceProcess this[string role] => _services.Values.First(s =>
        s.Roles.Split(',').Contains(role, StringComparer.OrdinalIgnoreCase));

    /// <param name="processes">Each entry is one process's Roles value (comma list).</param>
    /// <param name="settings">Passed to every service process as <c>--Key=value</c>.</param>
    public static async Task<SagaDemoProcesses> StartAsync(IReadOnlyList<string> processes,
        IReadOnlyDictionary<string, string>? settings = null, string? hostDll = null)
    {
        hostDll ??= HostExecutable.Locate();
        var broker = await DevBroker.StartAsync(hostDll);
        return await StartServicesAsync(new SagaDemoProcesses(broker, broker.BootstrapServers), hostDll, processes, settings);
    }

    /// <summary>
    /// The services alone, on a broker the caller runs (e.g. a <c>MockKafkaCluster</c> in the test process, whose
    /// faults the test can then inject); the caller keeps that broker up and its topics created.
    /// </summary>
    public static Task<SagaDemoProcesses> StartOnBrokerAsync(string bootstrapServers, IReadOnlyList<string> processes,
        IReadOnlyDictionary<string, string>? settings = null, string? hostDll = null)
    {
        hostDll ??= HostExecutable.Locate();
        return StartServicesAsync(new SagaDemoProcesses(null, bootstrapServers), hostDll, processes, settings);
    }

    static async Task<SagaDemoProcesses> StartServicesAsync(SagaDemoProcesses system, string hostDll, IReadOnlyList<string> processes,
        IReadOnlyDictionary<string, string>? settings)
    {
        try
        {
            var environment = system.SigningKeys.ToDictionary(k => $"Kafka__Signing__Keys__{k.Key}", k => k.Value);
            foreach (var roles in processes)
                system._services[roles] = new ServiceProcess(hostDll, roles, system.BootstrapServers, settings, environment);
            // In parallel: each start is mostly the runtime's JIT and the group join, not CPU of its own.
            await Task.WhenAll(system._services.Values.Select(s => s.StartAsync()));
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Output of every process, for a failure message.</summary>
    public string Output()
    {
        var processes = _services.Values.Select(s => s.Process);
        if (Broker is not null)
            processes = processes.Prepend(Broker.Process);
        return string.Join("\n\n", processes.Select(p => $"=== {p.Name} ===\n{p.Output()}"));
    }

    public ValueTask DisposeAsync()
    {
        foreach (var service in _services.Values)
            service.Dispose();
        Broker?.Dispose();
        return ValueTask.CompletedTask;
    }
}
