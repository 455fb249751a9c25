namespace SagaDemo.Testing.Processes;

/// <summary><c>SagaDemo.Host kafka-dev</c> as a child process: the embedded mock cluster as a dev broker.</summary>
public sealed class DevBroker : IDisposable
{
    const string BootstrapPrefix = "bootstrap.servers=";

    DevBroker(ChildProcess process, string bootstrapServers)
    {
        Process = process;
        BootstrapServers = bootstrapServers;
    }

    public ChildProcess Process { get; }

    public string BootstrapServers { get; }

    public static async Task<DevBroker> StartAsync(string hostDll, TimeSpan? timeout = null)
    {
        var process = ChildProcess.Dotnet("kafka-dev", hostDll, ["kafka-dev"]);
        try
        {
            process.Start();
            var servers = await process.WaitForLineAsync(
                line => line.StartsWith(BootstrapPrefix, StringComparison.Ordinal) ? line[BootstrapPrefix.Length..].Trim() : null,
                timeout ?? TimeSpan.FromSeconds(60));
            return new DevBroker(process, servers);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose() => Process.Dispose();
}
