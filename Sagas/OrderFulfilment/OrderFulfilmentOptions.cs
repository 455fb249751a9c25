namespace SagaDemo.Sagas.OrderFulfilment;

/// <summary>Configuration section <c>OrderFulfilment</c>.</summary>
public sealed class OrderFulfilmentOptions
{
    public const string Section = "OrderFulfilment";

    /// <summary>
    /// How long one step (reserve, charge, ship, release) may wait for its reply before the order gives up on it:
    /// a guard against a reply that will never come (dead-lettered), not a service-level target. Kept well above
    /// any backlog admission control lets build up, so a busy system does not fail orders.
    /// </summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the saga's deadline watcher (in its service) looks for passed deadlines; a deadline fires up to this late.</summary>
    public TimeSpan DeadlineCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
