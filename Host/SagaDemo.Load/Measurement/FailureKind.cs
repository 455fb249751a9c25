namespace SagaDemo.Load.Measurement;

/// <summary>Why an operation did not complete.</summary>
public enum FailureKind
{
    /// <summary>The POST was not answered 202 (HTTP status, or a transport error).</summary>
    Rejected,
    /// <summary>Accepted, then the operation ended with status "failed" (its error text is the reason).</summary>
    Failed,
    /// <summary>Accepted, and still pending when the drain period after the run ended.</summary>
    TimedOut,
    /// <summary>Never sent: the open-loop generator hit its in-flight limit (the target had fallen far behind).</summary>
    Skipped,
}
