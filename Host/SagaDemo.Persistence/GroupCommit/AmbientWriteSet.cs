using SagaDemo.Persistence.Transactions;

namespace SagaDemo.Persistence.GroupCommit;

/// <summary>
/// The <see cref="WriteSet"/> the current flow of control collects into, when a grouped consumer filter (or the
/// launcher) runs it for a group commit. Stores whose effect is a blind write add it here instead of writing; a store
/// that must write at once finds one open for its schema and refuses (see <c>SchemaStore</c>), since its write would
/// commit apart from the inbox entry and the outgoing messages.
/// </summary>
public static class AmbientWriteSet
{
    /// <summary>The write set to add to for <paramref name="schema"/>, or null when none is open for it.</summary>
    public static WriteSet? For(string schema) => Ambient<WriteSet>.Value is { } set && set.Schema == schema ? set : null;

    /// <summary>Makes <paramref name="set"/> ambient until the returned scope is disposed.</summary>
    public static IDisposable Enter(WriteSet set) => Ambient<WriteSet>.Enter(set);
}
