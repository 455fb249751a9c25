using System.Text.Json;

namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>The Prometheus HTTP query API of any server (the test's own, or a deployed one).</summary>
public sealed class PrometheusApi(Uri baseAddress)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public sealed record QueryResult(string Status, string? Error, int SeriesCount, JsonElement Data);

    public async Task<QueryResult> QueryAsync(string promql)
    {
        var uri = new Uri(baseAddress, "api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var response = await Http.GetAsync(uri);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        var status = json.GetProperty("status").GetString()!;
        if (status != "success")
            return new QueryResult(status, json.TryGetProperty("error", out var e) ? e.GetString() : null, 0, json);
        var data = json.GetProperty("data");
        var count = data.GetProperty("resultType").GetString() is "vector" or "matrix"
            ? data.GetProperty("result").GetArrayLength()
            : 1;
        return new QueryResult(status, null, count, data);
    }

    /// <summary>Polls until the query returns at least one series; returns the last result either way.</summary>
    public async Task<QueryResult> WaitForDataAsync(string promql, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await QueryAsync(promql);
            if (result.SeriesCount > 0 || DateTime.UtcNow >= deadline)
                return result;
            await Task.Delay(250);
        }
    }
}
