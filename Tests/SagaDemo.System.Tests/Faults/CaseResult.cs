namespace SagaDemo.System.Tests.Faults;

/// <summary>
/// One case's figures. Accepted, completed, failed and lost count the case's operations; duplicated and oversold
/// count what appeared in the whole system during the case (a second effect of any operation, units that left
/// stock beyond what completed orders bought). Problems name every broken expectation, figures or not.
/// </summary>
public sealed record CaseResult(string Case, int Accepted, int Completed, int Failed, int Lost, int Duplicated, int Oversold,
    IReadOnlyList<string> Problems, string? Detail = null)
{
    /// <summary>Wall time of the case, load, fault, settling and checks included (set by the suite).</summary>
    public TimeSpan Duration { get; init; }

    public bool Passed => Lost == 0 && Duplicated == 0 && Oversold == 0 && Problems.Count == 0;

    public static CaseResult Crashed(string @case, Exception error) => new(@case, 0, 0, 0, 0, 0, 0, [$"the case itself failed: {error}"]);
}
