using System.Net;
using System.Net.Sockets;
using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// The kubelet's probing of one container, from outside its network namespace, with the rendered httpGet probes:
/// each starts initialDelaySeconds after the container, runs every periodSeconds with timeoutSeconds, succeeds on
/// 200-399. Liveness and readiness wait until the startup probe has passed; failureThreshold failures in a row of
/// startup or liveness kill the container (recorded: the test requires none), of readiness make it unready.
/// </summary>
public sealed class Prober : IDisposable
{
    readonly IPAddress _address;
    readonly JObject _container;
    readonly Action<string> _kill;
    readonly HttpClient _http = new();
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> _events = [];
    DateTime _containerStart;

    public Prober(IPAddress address, JObject container, Action<string> kill)
    {
        _address = address;
        _container = container;
        _kill = kill;
    }

    public bool Ready { get; private set; }

    /// <summary>Why a probe killed the container; null while none has.</summary>
    public string? KilledBy { get; private set; }

    public TimeSpan? ReadyAfter { get; private set; }

    public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }

    public void Start()
    {
        _containerStart = DateTime.UtcNow;
        if (_container["startupProbe"] is JObject startup)
            _ = RunAsync("startup", startup, onFailureThreshold: () => Kill("startup"), onSuccess: () => _started.TrySetResult(), stopOnSuccess: true);
        else
            _started.TrySetResult();
        if (_container["livenessProbe"] is JObject liveness)
            _ = AfterStartupAsync(() => RunAsync("liveness", liveness, onFailureThreshold: () => Kill("liveness")));
        if (_container["readinessProbe"] is JObject readiness)
            _ = AfterStartupAsync(() => RunAsync("readiness", readiness, onFailureThreshold: () => SetReady(false), onSuccess: () => SetReady(true)));
    }

    async Task AfterStartupAsync(Func<Task> probe)
    {
        await _started.Task.WaitAsync(_stop.Token);
        await probe();
    }

    async Task RunAsync(string kind, JObject probe, Action onFailureThreshold, Action? onSuccess = null, bool stopOnSuccess = false)
    {
        var delay = TimeSpan.FromSeconds((int?)probe["initialDelaySeconds"] ?? 0);
        var period = TimeSpan.FromSeconds((int?)probe["periodSeconds"] ?? 10);
        var timeout = TimeSpan.FromSeconds((int?)probe["timeoutSeconds"] ?? 1);
        var failureThreshold = (int?)probe["failureThreshold"] ?? 3;
        var get = probe["httpGet"] ?? throw new NotSupportedException($"{kind} probe is not httpGet");
        var url = new Uri($"http://{_address}:{Port(get["port"]!)}{(string?)get["path"] ?? "/"}");
        try
        {
            var first = _containerStart + delay - DateTime.UtcNow;
            if (first > TimeSpan.Zero)
                await Task.Delay(first, _stop.Token);
            var failures = 0;
            while (!_stop.IsCancellationRequested)
            {
                var (ok, detail) = await ProbeOnceAsync(url, timeout);
                if (ok)
                {
                    failures = 0;
                    onSuccess?.Invoke();
                    if (stopOnSuccess)
                    {
                        Record($"{kind} probe passed");
                        return;
                    }
                }
                else if (++failures >= failureThreshold)
                {
                    Record($"{kind} probe failed {failures} times ({detail})");
                    onFailureThreshold();
                    failures = 0;
                }
                await Task.Delay(period, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    async Task<(bool Ok, string Detail)> ProbeOnceAsync(Uri url, TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cancel.CancelAfter(timeout);
        try
        {
            using var response = await _http.GetAsync(url, cancel.Token);
            var status = (int)response.StatusCode;
            return (status is >= 200 and < 400, $"HTTP {status}");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException && !_stop.IsCancellationRequested)
        {
            return (false, e.Message);
        }
    }

    int Port(JToken port) => port.Type == JTokenType.Integer
        ? (int)port
        : (int)_container["ports"]!.Single(p => (string?)p["name"] == (string)port!)["containerPort"]!;

    void SetReady(bool ready)
    {
        if (ready && ReadyAfter is null)
            ReadyAfter = DateTime.UtcNow - _containerStart;
        if (ready != Ready)
            Record(ready ? "ready" : "not ready");
        Ready = ready;
    }

    void Kill(string probe)
    {
        KilledBy ??= probe;
        _kill(probe);
    }

    void Record(string what)
    {
        lock (_events)
            _events.Add($"{(DateTime.UtcNow - _containerStart).TotalSeconds,6:F1}s {what}");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
    }
}
