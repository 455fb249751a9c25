using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Running;

/// <summary>The two HTTP calls of the operations API, on one pooled, load-tuned HttpClient.</summary>
public sealed class OperationClient : IDisposable
{
    static readonly MediaTypeHeaderValue Json = new("application/json");

    readonly HttpClient _http;

    public OperationClient(Uri target, int connections, TimeSpan requestTimeout, HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? CreateHandler(connections), disposeHandler: true)
        {
            BaseAddress = target,
            Timeout = requestTimeout,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>
    /// Pooled keep-alive connections, enough of them for the in-flight requests, no proxy lookup,
    /// cookies or decompression: every request goes straight to the target on a warm socket.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(int connections) => new()
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    /// <summary>
    /// POSTs a new operation; on 202 returns the operation's status path (its Location header); when the target shed it
    /// (503/429), the wait it advised (<see cref="PostOutcome.Shed"/>).
    /// </summary>
    public async Task<PostOutcome> CreateAsync(FlowKind flow, byte[] body, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = Json;
            using var response = await _http.PostAsync(flow.Path(), content, ct);
            if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
                return new(location, null);
            if (ShedRetry.IsShed(response.StatusCode))
                return new(null, $"POST {(int)response.StatusCode} {response.ReasonPhrase}")
                {
                    Shed = true,
                    RetryAfter = ShedRetry.Advised(response.Headers.RetryAfter, DateTimeOffset.UtcNow),
                };
            return new(null, response.StatusCode == HttpStatusCode.Accepted
                ? "POST 202 without a Location header"
                : $"POST {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return new(null, $"POST transport error: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, "POST timed out");
        }
    }

    /// <summary>Reads an operation's status; null when the request failed (the caller polls again).</summary>
    public async Task<OperationStatus?> StatusAsync(Uri location, CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(location, HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                return null;
            return await response.Content.ReadFromJsonAsync(StatusJson.Default.OperationStatus, ct);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<string?> GetTextAsync(Uri url, CancellationToken ct)
    {
        try
        {
            return await _http.GetStringAsync(url, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The POST's result: the status path when accepted, otherwise why not (and whether the target shed it).</summary>
public readonly record struct PostOutcome(Uri? Location, string? Rejection)
{
    /// <summary>Answered 503 or 429: the target is overloaded, not the request wrong.</summary>
    public bool Shed { get; init; }

    /// <summary>The target's Retry-After, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The part of <c>GET /operations/{id}</c> the load generator reads.</summary>
public sealed record OperationStatus(string Status, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public bool IsFinal => Status is "completed" or "failed";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OperationStatus))]
internal sealed partial class StatusJson : JsonSerializerContext;
