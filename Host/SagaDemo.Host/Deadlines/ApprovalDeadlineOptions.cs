namespace SagaDemo.Host.Deadlines;

/// <summary>Keys of section <c>UserRegistration</c> read by the deadline watcher.</summary>
public sealed class ApprovalDeadlineOptions
{
    /// <summary>How often the watcher looks for passed approval deadlines; a deadline fires up to this late.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
