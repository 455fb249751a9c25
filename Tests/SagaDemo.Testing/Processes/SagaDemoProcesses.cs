namespace SagaDemo.Testing.Processes;

/// <summary>
/// The system as separate processes on one machine: a dev broker (<c>kafka-dev</c>) and one SagaDemo.Host
/// process per role group, each pointed at the broker (and at PostgreSQL when a connection string is given).
/// Dispose kills every process, whatever state the test left them in.
/// </summary>
public sealed class SagaDemoProcesses : IAsyncDisposable
{
    /// <summary>Every role in its own process.</summary>
    public static readonly IReadOnlyList<string> OneProcessPerRole = ["api", "users", "approval", "orders", "warehouse", "payment", "statistics"];

    readonly Dictionary<string, ServiceProcess> _services = new(StringComparer.OrdinalIgnoreCase);

    SagaDemoProcesses(DevBroker broker) => Broker = broker;

    public DevBroker Broker { get; }

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
        var system = new SagaDemoProcesses(broker);
        try
        {
            foreach (var roles in processes)
                system._services[roles] = new ServiceProcess(hostDll, roles, broker.BootstrapServers, settings);
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
    public string Output() => string.Join("\n\n", new[] { Broker.Process }.Concat(_services.Values.Select(s => s.Process))
        .Select(p => $"=== {p.Name} ===\n{p.Output()}"));

    public ValueTask DisposeAsync()
    {
        foreach (var service in _services.Values)
            service.Dispose();
        Broker.Dispose();
        return ValueTask.CompletedTask;
    }
}
