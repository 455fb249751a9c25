using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SagaDemo.Testing;

/// <summary>The operations API as tests use it: start an operation, poll it to its final state.</summary>
public static class OperationsHttp
{
    /// <summary>POSTs an operation; returns its id (null when the API did not accept it with 202).</summary>
    public static async Task<Guid?> TryStartAsync(this HttpClient client, string path, string json, CancellationToken cancellationToken = default,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
            return null;
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> StartAsync(this HttpClient client, string path, string json, CancellationToken cancellationToken = default) =>
        await client.TryStartAsync(path, json, cancellationToken)
        ?? throw new InvalidOperationException($"POST {path} was not accepted");

    /// <summary>Polls GET /operations/{id} until its status is not pending; throws at the deadline.</summary>
    public static async Task<JsonElement> FinishedAsync(this HttpClient client, Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement? last = null;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync($"/operations/{id}");
                if (response.IsSuccessStatusCode)
                {
                    var operation = await response.Content.ReadFromJsonAsync<JsonElement>();
                    last = operation;
                    if (operation.GetProperty("status").GetString() != "pending")
                        return operation;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The API process may be restarting: keep polling until the deadline.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Operation {id} still not final after {timeout}: {last}");
            await Task.Delay(100);
        }
    }
}
