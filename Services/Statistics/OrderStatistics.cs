namespace SagaDemo.Services.Statistics;

/// <summary>What <c>GET /statistics</c> shows: orders by outcome and the revenue of completed ones.</summary>
public sealed record OrderStatistics(long Submitted, long Completed, long Cancelled, long InProgress, decimal Revenue);
