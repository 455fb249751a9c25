namespace SagaDemo.Services.Hosting.Deadlines;

/// <summary>Key <c>DeadlineCheckInterval</c> of a saga's section (<c>UserRegistration</c>, <c>OrderFulfilment</c>),
/// named options by that section.</summary>
public sealed class DeadlineWatchOptions
{
    /// <summary>How often the watcher looks for passed deadlines; a deadline fires up to this late.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
