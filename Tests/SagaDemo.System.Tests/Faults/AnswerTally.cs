using System.Collections.Concurrent;

namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// What the API answered the load's POSTs, retries included: a fault may make it refuse work (503, or no
/// connection while its process restarts), never fail it with another 5xx.
/// </summary>
public sealed class AnswerTally
{
    public const string NoConnection = "no connection";

    readonly ConcurrentDictionary<string, int> _answers = new();

    public void Count(string answer) => _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);

    /// <summary>Server errors other than 503 (Service Unavailable), which is how the API says "not now, retry".</summary>
    public IEnumerable<string> Problems() => _answers
        .Where(a => a.Key.StartsWith('5') && a.Key != "503")
        .Select(a => $"the API answered {a.Value} POSTs with {a.Key} (a fault it cannot help must be a 503, not a server error)");

    public override string ToString() => string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key} x{a.Value}"));
}
