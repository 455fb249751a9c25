using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Tests.Support;
using SagaDemo.Services.Operations;

namespace SagaDemo.Kafka.Tests;

/// <summary>
/// A bounded overload run of the whole embedded system (every role, in-process mock Kafka, 200 ms approvals): an
/// open-loop burst far above what it finishes, from a client that honours Retry-After. Admission control sheds part of
/// it with 503; every create is accepted in the end, and every accepted operation completes: none failed, none lost.
/// </summary>
public sealed class OverloadTests
{
    const int RequestsPerSecond = 1000;
    static readonly TimeSpan Burst = TimeSpan.FromSeconds(2);
    static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    sealed record Outcome(Guid? Id, int Shed, bool RetryAfterMissing, bool NotAProblem, HttpStatusCode? Refused);

    [Fact]
    public async Task A_burst_above_capacity_is_partly_shed_and_everything_accepted_completes()
    {
        await using var app = new SagaDemoAppFactory(new Dictionary<string, string>
        {
            ["Approval:Delay"] = "00:00:00.200",
            // A small budget, so a few seconds of burst overload it on any machine.
            ["Admission:MinPending"] = "100",
            ["Admission:MaxPending"] = "300",
            ["Admission:SampleInterval"] = "00:00:00.100",
        });
        var client = app.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        await Poll.UntilAsync(() => client.GetAsync("/health/ready").Result.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30),
            () => "the host never became ready");

        // Open loop: request i is sent at i / rate, whatever happened to the earlier ones.
        var clock = Stopwatch.StartNew();
        var total = (int)(RequestsPerSecond * Burst.TotalSeconds);
        var sends = new List<Task<Outcome>>(total);
        for (var i = 0; i < total; i++)
        {
            // Read the clock once: between two reads it may pass the due time, and a negative delay throws.
            var wait = TimeSpan.FromSeconds((double)i / RequestsPerSecond) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            sends.Add(CreateHonouringRetryAfterAsync(client, i));
        }
        var outcomes = await Task.WhenAll(sends);

        var refused = outcomes.Where(o => o.Refused is not null).GroupBy(o => o.Refused).Select(g => $"{g.Count()} x {g.Key}").ToList();
        Assert.True(refused.Count == 0, $"not accepted in the end: {string.Join(", ", refused)}");
        Assert.DoesNotContain(outcomes, o => o.RetryAfterMissing || o.NotAProblem);
        var shed = outcomes.Sum(o => o.Shed);
        Assert.True(shed > 0, "nothing was shed: the burst did not overload the system");

        var store = app.Services.GetRequiredService<IOperationStore>();
        var ids = outcomes.Select(o => o.Id!.Value).ToList();
        await Poll.UntilAsync(() => ids.All(id => store.FindAsync(id, default).Result?.Status != OperationStatus.Pending),
            GiveUpAfter, () => $"{ids.Count(id => store.FindAsync(id, default).Result?.Status == OperationStatus.Pending)} of {ids.Count} still pending");
        var failed = ids.Select(id => store.FindAsync(id, default).Result!).Where(o => o.Status != OperationStatus.Completed).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} failed, e.g. {failed.FirstOrDefault()?.Error}");
        Assert.Equal(0, app.Services.GetRequiredService<RecordLossMonitor>().TotalLost);
        Console.WriteLine($"overload test: {total} creates in {Burst.TotalSeconds} s, {shed} answers 503, all accepted and completed after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>One create with an Idempotency-Key, sent again after each 503's Retry-After until it is accepted.</summary>
    static async Task<Outcome> CreateHonouringRetryAfterAsync(HttpClient client, int n)
    {
        var key = $"overload-{n}-{Guid.NewGuid():N}";
        var shed = 0;
        var give = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/operations/user-create")
            {
                Content = new StringContent($$"""{"name":"burst{{n}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(IdempotencyKey.Header, key);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Accepted)
                return new Outcome((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), shed, false, false, null);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || give.Elapsed > GiveUpAfter)
                return new Outcome(null, shed, false, false, response.StatusCode);
            shed++;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return new Outcome(null, shed, false, true, null);
            if (response.Headers.RetryAfter?.Delta is not { } wait)
                return new Outcome(null, shed, true, false, null);
            await Task.Delay(wait);
        }
    }
}
