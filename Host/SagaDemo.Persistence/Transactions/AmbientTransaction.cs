namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// The <see cref="PostgresTransactionContext"/> the current flow of control runs in. Stores are
/// singletons called with just a cancellation token, so the transactional consumer filter (and the
/// operation launcher) publish their transaction here for the stores to join; it flows down the async
/// calls made inside <see cref="Enter"/> and nowhere else.
/// </summary>
public static class AmbientTransaction
{
    /// <summary>The transaction to join for <paramref name="schema"/>, or null when none is open for it.</summary>
    public static PostgresTransactionContext? For(string schema) =>
        Ambient<PostgresTransactionContext>.Value is { } transaction && transaction.Schema == schema ? transaction : null;

    /// <summary>Makes <paramref name="transaction"/> ambient until the returned scope is disposed.</summary>
    public static IDisposable Enter(PostgresTransactionContext transaction) => Ambient<PostgresTransactionContext>.Enter(transaction);
}
