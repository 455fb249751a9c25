namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// Whether a create is taken on; when not, why and how many seconds the client should wait. An admitted create holds a
/// <see cref="Ticket"/>, disposed of once the operation is stored (or storing failed), so it is counted exactly once.
/// </summary>
/// <param name="Why">What the problem body says, without the advised wait (<see cref="Detail"/> adds it).</param>
public sealed record AdmissionDecision(bool Admitted, int RetryAfterSeconds, string? Reason, string? Why)
{
    public string? Detail => Why is null ? null : $"{Why} Retry after {RetryAfterSeconds} s.";

    public IDisposable? Ticket { get; init; }

    public static readonly AdmissionDecision Admit = new(true, 0, null, null);

    public const string BacklogReason = "backlog";
    public const string FairShareReason = "fair-share";
    public const string LagReason = "consumer-lag";
}
