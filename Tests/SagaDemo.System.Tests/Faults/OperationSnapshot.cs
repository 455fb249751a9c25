namespace SagaDemo.System.Tests.Faults;

/// <summary>What the API answers for finished operations, taken before records are replayed at them, to show afterwards that none changed.</summary>
public sealed class OperationSnapshot
{
    readonly Dictionary<Guid, string> _answers;

    OperationSnapshot(Dictionary<Guid, string> answers) => _answers = answers;

    public static async Task<OperationSnapshot> TakeAsync(FaultSystem system, IEnumerable<TrackedOperation> operations)
    {
        var answers = new Dictionary<Guid, string>();
        foreach (var op in operations)
            answers[op.Id] = await AnswerAsync(system, op.Id);
        return new OperationSnapshot(answers);
    }

    public string this[Guid id] => _answers[id];

    /// <summary>One problem per operation whose answer differs now, naming <paramref name="after"/> (what was done meanwhile).</summary>
    public async Task<List<string>> ChangesAsync(FaultSystem system, string after)
    {
        var changes = new List<string>();
        foreach (var (id, before) in _answers)
            if (await AnswerAsync(system, id) is var now && now != before)
                changes.Add($"operation {id} changed after {after}: {before} -> {now}");
        return changes;
    }

    static async Task<string> AnswerAsync(FaultSystem system, Guid id) => (await ApiClient.ReadAsync(system.Api, id))?.ToString() ?? "";
}
