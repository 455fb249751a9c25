using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SagaDemo.Host.Commands;

/// <summary>
/// <c>SagaDemo.Host dead-letters list [--topic=T] [--json] | replay &lt;record&gt; | discard &lt;record&gt;</c>, with
/// <c>--api=URL</c> (default http://localhost:8080) and <c>--api-key=KEY</c> (or <c>SAGADEMO_API_KEY</c>); a record is
/// <c>topic/partition@offset</c> as <c>list</c> prints it. It calls the api role's console API, so a replay or discard
/// has exactly the console's effects: recorded (as the key's client), once. Exit 0 done (also when an earlier request
/// had done it), 1 refused or failed, 2 wrong usage.
/// </summary>
public static partial class DeadLettersCommand
{
    public const string Name = "dead-letters";
    public const int Succeeded = 0, Failed = 1, Usage = 2;
    const string DefaultApi = "http://localhost:8080";

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args, Func<Uri, HttpClient>? clientFor = null, TextWriter? output = null,
        TextWriter? errors = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        var options = args.Skip(1).Where(a => a.StartsWith("--", StringComparison.Ordinal))
            .Select(a => a[2..].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        var words = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (!Uri.TryCreate(options.GetValueOrDefault("api", DefaultApi), UriKind.Absolute, out var api))
            return await UsageAsync(errors, "--api must be an absolute URL.");
        using var client = clientFor?.Invoke(api) ?? new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var key = options.GetValueOrDefault("api-key") ?? Environment.GetEnvironmentVariable("SAGADEMO_API_KEY");
        if (!string.IsNullOrEmpty(key))
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        try
        {
            return words switch
            {
                ["list"] => await ListAsync(client, options.GetValueOrDefault("topic"), options.ContainsKey("json"), output, errors),
                ["replay" or "discard", var record] when RecordPattern().Match(record) is { Success: true } m =>
                    await ActAsync(client, words[0], m.Groups["topic"].Value, m.Groups["partition"].Value, m.Groups["offset"].Value, output, errors),
                _ => await UsageAsync(errors, "Expected: list | replay <topic>/<partition>@<offset> | discard <topic>/<partition>@<offset>."),
            };
        }
        catch (HttpRequestException e)
        {
            await errors.WriteLineAsync($"dead-letters: cannot reach the api role at {api}: {e.Message}");
            return Failed;
        }
    }

    static async Task<int> ListAsync(HttpClient client, string? topic, bool json, TextWriter output, TextWriter errors)
    {
        using var response = await client.GetAsync(topic is null ? "/dead-letters" : $"/dead-letters?topic={Uri.EscapeDataString(topic)}");
        if (!response.IsSuccessStatusCode)
            return await RefusedAsync(response, errors);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (json)
        {
            await output.WriteLineAsync(list.GetProperty("records").GetRawText());
            return Succeeded;
        }
        foreach (var r in list.GetProperty("records").EnumerateArray())
        {
            var decision = r.GetProperty("decision") is { ValueKind: JsonValueKind.Object } d
                ? $"{d.GetProperty("action").GetString()} by {d.GetProperty("by").GetString()} at {d.GetProperty("at").GetString()}"
                : "undecided";
            await output.WriteLineAsync(
                $"{r.GetProperty("topic").GetString()}/{r.GetProperty("partition").GetInt32()}@{r.GetProperty("offset").GetInt64()}\t" +
                $"{r.GetProperty("timestamp").GetString()}\tfrom {r.GetProperty("originalTopic").GetString()}/" +
                $"{Text(r.GetProperty("originalPartition"))}@{Text(r.GetProperty("originalOffset"))}\t{decision}\t{r.GetProperty("reason").GetString()}");
        }
        return Succeeded;
    }

    static async Task<int> ActAsync(HttpClient client, string action, string topic, string partition, string offset, TextWriter output,
        TextWriter errors)
    {
        using var response = await client.PostAsync($"/dead-letters/{Uri.EscapeDataString(topic)}/{partition}/{offset}/{action}", null);
        if (!response.IsSuccessStatusCode)
            return await RefusedAsync(response, errors);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var decision = answer.GetProperty("decision");
        var replayedTo = decision.TryGetProperty("replayedTo", out var to) && to.ValueKind == JsonValueKind.String ? $" to {to.GetString()}" : "";
        await output.WriteLineAsync($"{topic}/{partition}@{offset}: {action} {answer.GetProperty("outcome").GetString()} " +
            $"(by {decision.GetProperty("by").GetString()} at {decision.GetProperty("at").GetString()}{replayedTo})");
        return Succeeded;
    }

    static async Task<int> RefusedAsync(HttpResponseMessage response, TextWriter errors)
    {
        var body = await response.Content.ReadAsStringAsync();
        string? detail = null;
        try
        {
            detail = JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var d) ? d.GetString() : body;
        }
        catch (JsonException)
        {
            detail = body;
        }
        await errors.WriteLineAsync($"dead-letters: {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        return Failed;
    }

    static async Task<int> UsageAsync(TextWriter errors, string message)
    {
        await errors.WriteLineAsync($"dead-letters: {message}\nUsage: SagaDemo.Host dead-letters list [--topic=T] [--json] | " +
            "replay <topic>/<partition>@<offset> | discard <topic>/<partition>@<offset> [--api=URL] [--api-key=KEY]");
        return Usage;
    }

    static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "?" : value.GetRawText();

    [GeneratedRegex(@"^(?<topic>[A-Za-z0-9._-]+)/(?<partition>\d{1,9})@(?<offset>\d{1,18})$")]
    private static partial Regex RecordPattern();
}
