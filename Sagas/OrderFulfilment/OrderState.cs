using MassTransit;
using SagaDemo.Sagas.Timeline;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Sagas.OrderFulfilment;

/// <summary>One order on its way from submitted to completed or cancelled.</summary>
public sealed class OrderState : SagaStateMachineInstance, ISagaVersion, ITransitionHistory
{
    /// <summary>The order id, which is also the operation id.</summary>
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string CustomerId { get; set; } = "";

    public List<OrderItem> Items { get; set; } = [];

    public DateTimeOffset SubmittedAt { get; set; }

    public decimal? Amount { get; set; }

    public string? TrackingNumber { get; set; }

    public string? Error { get; set; }

    /// <summary>When the step the order waits in gives up on its reply (see OrderFulfilmentOptions.StepTimeout);
    /// null once the order is completed or cancelled.</summary>
    public DateTimeOffset? StepDeadline { get; set; }

    public List<SagaTransition> Transitions { get; set; } = [];
}
