using System.Net.Http.Json;
using System.Text.Json;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Testing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Tests.Trust;

/// <summary>
/// The whole embedded system (every role, in-process Kafka) as an attacker with a Kafka client sees it: any record
/// on any topic, written with kcat. Approvals take 3 s, time enough to answer before the approval service does.
/// </summary>
public sealed class TrustHost : IDisposable
{
    public SagaDemoAppFactory App { get; } = new(new Dictionary<string, string> { ["Approval:Delay"] = "00:00:03" });

    public string Bootstrap => App.Bootstrap;

    public HttpClient Http => _http ??= App.CreateClient();

    HttpClient? _http;

    /// <summary>Produces one headerless record with kcat, exactly as an outside client would.</summary>
    public void Kcat(string topic, Guid key, string json) =>
        Tests.Kcat.Run($"-b {Bootstrap} -P -t {topic} -K \"|\"", TimeSpan.FromSeconds(20), $"{key}|{json}\n");

    /// <summary>The first record keyed <paramref name="key"/> on <paramref name="topic"/>, waiting for it to appear.</summary>
    public async Task<TopicDump.Record> RecordAsync(string topic, Guid key, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = TopicDump.ReadAll(Bootstrap, [topic]).FirstOrDefault(r => r.Key == key.ToString());
            if (found is not null)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No record keyed {key} on {topic} within {timeout}");
            await Task.Delay(200);
        }
    }

    public Task<TopicDump.Record> DeadLetterAsync(string topic, Guid key) =>
        RecordAsync(TopicCatalog.DeadLetterTopic(topic), key, TimeSpan.FromSeconds(30));

    /// <summary>Polls an operation until it is no longer pending.</summary>
    public async Task<JsonElement> FinalAsync(Guid operationId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var operation = await Http.GetFromJsonAsync<JsonElement>($"/operations/{operationId}");
            if (operation.GetProperty("status").GetString() != "pending")
                return operation;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Operation {operationId} still pending after {timeout}");
            await Task.Delay(100);
        }
    }

    public async Task<Guid> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<(int OnHand, int Reserved)> StockAsync(string sku)
    {
        var levels = await Http.GetFromJsonAsync<JsonElement>("/inventory");
        var level = levels.EnumerateArray().Single(l => l.GetProperty("sku").GetString() == sku);
        return (level.GetProperty("onHand").GetInt32(), level.GetProperty("reserved").GetInt32());
    }

    public void Dispose()
    {
        _http?.Dispose();
        App.Dispose();
    }
}
