using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SagaDemo.System.Tests.Faults;

/// <summary>The operations API as a careful client uses it while the system is being broken.</summary>
public static class ApiClient
{
    static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// POSTs with an Idempotency-Key and asks again (same key) until the API accepts it: a client whose answer was
    /// lost in a crash or refused while the database was down gets the same operation, never a second one. Null
    /// when not accepted before the deadline.
    /// </summary>
    public static async Task<TrackedOperation?> SubmitAsync(HttpClient api, OperationRequest request, TimeSpan timeout, AnswerTally answers)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, request.Path)
                {
                    Content = new StringContent(request.Json, Encoding.UTF8, "application/json"),
                    Headers = { { "Idempotency-Key", key } },
                };
                using var response = await api.SendAsync(post);
                answers.Count(((int)response.StatusCode).ToString());
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    return new TrackedOperation(id, request.Kind, request.Items);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The api process is down or restarting: ask again with the same key.
                answers.Count(AnswerTally.NoConnection);
            }
            await Task.Delay(RetryPause);
        }
        return null;
    }

    /// <summary>An operation's end as the API shows it: completed or failed, and the error of a failed one.</summary>
    public sealed record FinalState(string Status, string? Error);

    /// <summary>
    /// Polls the operations until each is completed or failed, in rounds over the ones still pending (not one
    /// poller per operation: on two cores that would be load of its own). Operations not final at the deadline
    /// map to null.
    /// </summary>
    public static async Task<Dictionary<Guid, FinalState?>> FinalStatesAsync(HttpClient api, IEnumerable<Guid> ids, TimeSpan timeout)
    {
        var states = ids.Distinct().ToDictionary(id => id, _ => (FinalState?)null);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var id in states.Where(s => s.Value is null).Select(s => s.Key).ToList())
                states[id] = await FinalStateAsync(api, id);
            if (states.Values.All(s => s is not null) || DateTime.UtcNow > deadline)
                return states;
            await Task.Delay(RetryPause);
        }
    }

    static async Task<FinalState?> FinalStateAsync(HttpClient api, Guid id)
    {
        try
        {
            using var response = await api.GetAsync($"/operations/{id}");
            if (!response.IsSuccessStatusCode)
                return null;
            var operation = await response.Content.ReadFromJsonAsync<JsonElement>();
            var status = operation.GetProperty("status").GetString();
            return status is "completed" or "failed"
                ? new FinalState(status, operation.TryGetProperty("error", out var error) ? error.GetString() : null)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null; // the api is restarting: ask again next round
        }
    }

    /// <summary>The operation as the API shows it now (null when it cannot be read).</summary>
    public static async Task<JsonElement?> ReadAsync(HttpClient api, Guid id)
    {
        using var response = await api.GetAsync($"/operations/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }
}
