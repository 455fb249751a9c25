using System.Diagnostics;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// Sends a load at a steady rate and sets off the fault once a third of it is sent, so the fault hits work in
/// every stage: accepted but not yet relayed, in flight between services, and still to come.
/// </summary>
public static class LoadUnderFault
{
    const double RequestsPerSecond = 15;
    const int InFlight = 8;
    static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(60);

    public static async Task<List<TrackedOperation>> RunAsync(HttpClient api, IReadOnlyList<OperationRequest> requests, Func<Task> fault,
        AnswerTally answers)
    {
        var accepted = new TrackedOperation?[requests.Count];
        var faultRun = Task.CompletedTask;
        var sends = new List<Task>();
        using var gate = new SemaphoreSlim(InFlight);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests.Count; i++)
        {
            // Pacing, not waiting for a condition: the load is spread over a few seconds so the fault lands mid-stream.
            // The clock is read once: between two reads it may pass the due time, and a negative delay throws.
            var wait = TimeSpan.FromSeconds(i / RequestsPerSecond) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            if (i == requests.Count / 3)
                faultRun = Task.Run(fault);
            await gate.WaitAsync();
            var index = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    accepted[index] = await ApiClient.SubmitAsync(api, requests[index], AcceptTimeout, answers);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(sends);
        await faultRun;
        return [.. accepted.OfType<TrackedOperation>()];
    }
}
