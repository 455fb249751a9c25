namespace SagaDemo.Services.Operations.Admission;

/// <summary>
/// Section <c>Admission</c>: how much unfinished work the API takes on before it answers creates with 503 and
/// <c>Retry-After</c>. The bound follows measured capacity: operations finished per second times
/// <see cref="TargetQueueTime"/> (Little's law: that many pending drain in that time), kept between
/// <see cref="MinPending"/> and <see cref="MaxPending"/>.
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>False: every valid create is accepted, however deep the backlog (the behaviour before admission control).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest an accepted operation should wait behind the others. A third of the users saga's 30 s approval
    /// deadline by default, so an accepted operation is never failed by a backlog the API let build up.
    /// </summary>
    public TimeSpan TargetQueueTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Upper bound on pending operations whatever the measured rate. A pending operation has a record or two unread per
    /// topic (up to five on <c>order</c>); 2,000 keeps the embedded broker's partitions (about 5 MB kept each, several
    /// thousand of our records) from deleting unread records, and at the closed-loop maximum (~2,000/s) drains in a second.
    /// </summary>
    public int MaxPending { get; set; } = 2000;

    /// <summary>Bound while nothing has finished yet (a cold start, or an idle system): enough to saturate the approval service.</summary>
    public int MinPending { get; set; } = 500;

    /// <summary>
    /// Any consumer partition of this process this many records behind sheds creates, whatever the pending count: the
    /// broker's retention must never overtake a consumer (with librdkafka statistics; 0 turns the check off).
    /// </summary>
    public long MaxPartitionLag { get; set; } = 5000;

    /// <summary>
    /// Above this fraction of the bound, a client already holding its fair share (bound / clients with pending work) is
    /// shed, so the rest of the budget stays for the others: one noisy client cannot starve the rest.
    /// </summary>
    public double FairShareFrom { get; set; } = 0.5;

    /// <summary>How often the backlog is measured (pending operations, finishes, consumer lag).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Ceiling of the Retry-After answered to a shed request.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (TargetQueueTime <= TimeSpan.Zero)
            yield return "Admission:TargetQueueTime must be positive.";
        if (MinPending < 1 || MaxPending < MinPending)
            yield return "Admission:MinPending must be >= 1 and Admission:MaxPending >= MinPending.";
        if (MaxPartitionLag < 0)
            yield return "Admission:MaxPartitionLag must be >= 0.";
        if (FairShareFrom is <= 0 or > 1)
            yield return "Admission:FairShareFrom must be in (0, 1].";
        if (SampleInterval < TimeSpan.FromMilliseconds(50) || SampleInterval > TimeSpan.FromSeconds(10))
            yield return "Admission:SampleInterval must be between 50 ms and 10 s.";
        if (MaxRetryAfter < TimeSpan.FromSeconds(1))
            yield return "Admission:MaxRetryAfter must be at least 1 s.";
    }
}
