namespace SagaDemo.Persistence.GroupCommit;

/// <summary>How a <see cref="GroupCommitter"/> groups write sets.</summary>
public sealed class GroupCommitterOptions
{
    /// <summary>
    /// Groups written at the same time (each on its own connection). Two keep the database busy while the next group
    /// forms; more only spread the same work over more transactions.
    /// </summary>
    public int Writers { get; set; } = 2;

    /// <summary>Write sets per transaction at most (each is a few statements of one batch).</summary>
    public int MaxGroupSize { get; set; } = 256;
}
