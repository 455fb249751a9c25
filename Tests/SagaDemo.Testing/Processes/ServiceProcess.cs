namespace SagaDemo.Testing.Processes;

/// <summary>One SagaDemo.Host process running some roles on its own loopback port.</summary>
public sealed class ServiceProcess : IDisposable
{
    readonly HttpClient _probe;

    /// <param name="settings">Passed as <c>--Key=value</c>.</param>
    /// <param name="environment">Environment variables, for secrets (<c>Kafka__Signing__Keys__users</c>).</param>
    public ServiceProcess(string hostDll, string roles, string bootstrapServers, IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Roles = roles;
        Port = LoopbackPort.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        var arguments = new List<string>
        {
            $"--Roles={roles}", $"--urls={BaseAddress}", $"--Kafka:BootstrapServers={bootstrapServers}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        };
        arguments.AddRange((settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}"));
        Process = ChildProcess.Dotnet(roles, hostDll, arguments, environment);
        _probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Roles { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public ChildProcess Process { get; }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        Process.Start();
        await WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(90));
    }

    /// <summary>kill -9: no shutdown hook runs, nothing is flushed or committed.</summary>
    public void Kill() => Process.Kill();

    /// <summary>Starts the killed process again (same port and arguments) and waits until it is ready.</summary>
    public Task RestartAsync(TimeSpan? timeout = null) => StartAsync(timeout);

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (true)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"{Roles} exited while starting:\n{Process.Output()}");
            try
            {
                using var response = await _probe.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                    return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Roles} not ready within {timeout} ({last}):\n{Process.Output()}");
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        Process.Dispose();
        _probe.Dispose();
    }
}
