using SagaDemo.Kafka.Topology;

namespace SagaDemo.System.Tests.Faults;

/// <summary>A case that sends the standard load, sets off a fault a third of the way in, and checks the ledger.</summary>
public static class LoadCase
{
    public const int Users = 30;
    public const int Orders = 15;
    static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(30);

    public static FaultCase Under(string name, string description, Func<FaultSystem, Task> fault) => new(name, description,
        async (system, ledger) =>
        {
            var requests = Workload.Mixed(Users, Orders);
            var answers = new AnswerTally();
            var deadBefore = KafkaProbe.DeadLetters(system.Bootstrap).Select(d => (d.Topic, d.Partition, d.Offset)).ToHashSet();
            var accepted = await LoadUnderFault.RunAsync(system.Api, requests, () => fault(system), answers);
            var result = await SettleAndCheckAsync(system, ledger, name, accepted, requests.Count, answers);
            // The load holds no bad input: a record dead-lettered now was given up on because of the fault.
            var dead = KafkaProbe.DeadLetters(system.Bootstrap).Where(d => !deadBefore.Contains((d.Topic, d.Partition, d.Offset))).ToList();
            return dead.Count == 0 ? result : result with
            {
                Problems = [.. result.Problems, .. dead.Select(d => $"{d.Header(KafkaHeaderNames.DeadLetterTopic)} record dead-lettered by " +
                    $"{d.Header(KafkaHeaderNames.DeadLetterConsumerGroup)}: {d.Header(KafkaHeaderNames.DeadLetterError)}")],
            };
        });

    /// <summary>Sends requests through the API without a fault (the delivery cases' own operations).</summary>
    public static Task<List<TrackedOperation>> SendAsync(FaultSystem system, IReadOnlyList<OperationRequest> requests, AnswerTally answers) =>
        LoadUnderFault.RunAsync(system.Api, requests, () => Task.CompletedTask, answers);

    /// <summary>Waits for the operations' final states and a quiet system, then checks the ledger and the API's answers.</summary>
    public static async Task<CaseResult> SettleAndCheckAsync(FaultSystem system, Ledger ledger, string name,
        IReadOnlyList<TrackedOperation> accepted, int requested, AnswerTally answers)
    {
        var problems = await SettleAsync(system, ledger, accepted);
        problems.AddRange(answers.Problems());
        return await ledger.CheckAsync(system, name, accepted, requested, problems, $"API answers to POSTs: {answers}");
    }

    /// <summary>Records the API operations' final states (null: none by the deadline), then waits for a quiet system.</summary>
    /// <returns>Problems: what was still busy when the system should have been quiet.</returns>
    public static async Task<List<string>> SettleAsync(FaultSystem system, Ledger ledger, IReadOnlyList<TrackedOperation> accepted)
    {
        var finals = await ApiClient.FinalStatesAsync(system.Api, accepted.Where(a => a.ViaApi).Select(a => a.Id), SettleTimeout);
        foreach (var op in accepted.Where(a => a.ViaApi))
            ledger.Record(op, finals[op.Id]?.Status, finals[op.Id]?.Error);
        return await Quiescence.WaitAsync(system, QuietTimeout) is { } busy ? [busy] : [];
    }
}
